#!/usr/bin/env bash
# Kafka security for Docker Compose, as ./psfleet cluster --secure and the Strimzi manifests have
# it: SASL/SCRAM-SHA-512 over TLS for every client, no plaintext listener, KRaft's
# StandardAuthorizer with nothing allowed that an ACL does not grant, and one SCRAM user per
# principal holding exactly the ACLs of io.psfleet.kafka.security.Role. compose.yaml runs it twice,
# in one-shot services of the apache/kafka image (its JRE has keytool, its bin/ has the tools):
#
#   kafka-security.sh certs   before the brokers start: a CA for this deployment, the brokers'
#                             certificate, a random password per principal; each into its own
#                             volume, so that a container sees only the secrets it mounts.
#   kafka-security.sh users   once the brokers are healthy: the SCRAM users and their ACLs.
#
# The brokers talk to each other and to the controllers over mutual TLS (listeners REPLICATION and
# CONTROLLER, client certificate required): their certificate is their identity and the only super
# user, as Strimzi's replication listener is. The users step and the topics service connect that
# way too, with the brokers' keystore; no client container mounts it.
#
# KafkaSecurityManifestsTest reads the `user` and `acl` lines below and checks them against Role.
set -euo pipefail

KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin}
CA_KEY_DIR=${CA_KEY_DIR:-/etc/psfleet/kafka-ca-key}
CA_DIR=${CA_DIR:-/etc/psfleet/kafka-ca}
BROKER_DIR=${BROKER_DIR:-/etc/psfleet/kafka-broker}
USERS_DIR=${USERS_DIR:-/etc/psfleet/users}
ADMIN_BOOTSTRAP=${ADMIN_BOOTSTRAP:-kafka-1:19093,kafka-2:19093,kafka-3:19093}
# The names the brokers are reached by: compose service names, and localhost for the host port
# mappings and the brokers' own health checks.
BROKER_NAMES=${BROKER_NAMES:-kafka-1 kafka-2 kafka-3 localhost}
BROKER_DN="CN=psfleet-broker,O=psfleet"
PRINCIPALS="psfleet-agent psfleet-job psfleet-soc"
VALIDITY_DAYS=825
KEYTOOL=$(command -v keytool || echo "${JAVA_HOME:-/opt/java/openjdk}/bin/keytool")

# 32 random letters and digits: nothing that needs quoting in JAAS, properties or a shell.
secret() {
  local s
  s=$(head -c 1024 /dev/urandom | tr -dc 'A-Za-z0-9')
  printf '%s' "${s:0:32}"
}

certs() {
  if [ -s "$BROKER_DIR/broker.p12" ] && [ -s "$CA_DIR/ca.crt" ]; then
    echo "kafka-security: certificates and passwords exist, kept"
    return 0
  fi
  umask 022
  mkdir -p "$CA_KEY_DIR" "$CA_DIR" "$BROKER_DIR"
  local ca_pw broker_pw work san="" name
  ca_pw=$(secret)
  broker_pw=$(secret)
  work=$(mktemp -d)
  for name in $BROKER_NAMES; do san="${san:+$san,}dns:$name"; done

  # The CA's key stays in its own volume, which only this step mounts.
  "$KEYTOOL" -genkeypair -keystore "$CA_KEY_DIR/ca.p12" -storetype PKCS12 -storepass "$ca_pw" \
    -alias ca -dname "CN=psfleet compose CA,O=psfleet" -keyalg RSA -keysize 3072 \
    -validity "$VALIDITY_DAYS" -ext bc:c -ext KU=keyCertSign,cRLSign
  printf '%s' "$ca_pw" > "$CA_KEY_DIR/ca.password"
  chmod 600 "$CA_KEY_DIR/ca.p12" "$CA_KEY_DIR/ca.password"
  "$KEYTOOL" -exportcert -keystore "$CA_KEY_DIR/ca.p12" -storepass "$ca_pw" -alias ca -rfc \
    -file "$CA_DIR/ca.crt"

  "$KEYTOOL" -genkeypair -keystore "$BROKER_DIR/broker.p12" -storetype PKCS12 \
    -storepass "$broker_pw" -alias broker -dname "$BROKER_DN" -keyalg RSA -keysize 2048 \
    -validity "$VALIDITY_DAYS"
  "$KEYTOOL" -certreq -keystore "$BROKER_DIR/broker.p12" -storepass "$broker_pw" -alias broker \
    -file "$work/broker.csr"
  "$KEYTOOL" -gencert -keystore "$CA_KEY_DIR/ca.p12" -storepass "$ca_pw" -alias ca \
    -infile "$work/broker.csr" -outfile "$work/broker.crt" -rfc -validity "$VALIDITY_DAYS" \
    -ext "SAN=$san" -ext EKU=serverAuth,clientAuth -ext KU=digitalSignature,keyEncipherment
  "$KEYTOOL" -importcert -keystore "$BROKER_DIR/broker.p12" -storepass "$broker_pw" -alias ca \
    -file "$CA_DIR/ca.crt" -noprompt
  "$KEYTOOL" -importcert -keystore "$BROKER_DIR/broker.p12" -storepass "$broker_pw" \
    -alias broker -file "$work/broker.crt" -noprompt
  rm -rf "$work"
  # The brokers read the password through Kafka's FileConfigProvider; the tools through this file.
  printf 'keystore.password=%s\n' "$broker_pw" > "$BROKER_DIR/broker-secrets.properties"
  cat > "$BROKER_DIR/admin.properties" <<EOF
# The brokers' identity ($BROKER_DN, a super user) over mutual TLS, for kafka-security.sh users,
# the topics service and an operator's kafka-*.sh --command-config on the REPLICATION listener.
security.protocol=SSL
ssl.keystore.type=PKCS12
ssl.keystore.location=$BROKER_DIR/broker.p12
ssl.keystore.password=$broker_pw
ssl.key.password=$broker_pw
ssl.truststore.type=PEM
ssl.truststore.location=$CA_DIR/ca.crt
EOF

  # One directory (volume) per principal, holding what a Strimzi KafkaUser Secret holds: the
  # password and the JAAS line that client.properties reads with DirectoryConfigProvider.
  local user pw
  for user in $PRINCIPALS; do
    mkdir -p "$USERS_DIR/$user"
    pw=$(secret)
    printf '%s' "$pw" > "$USERS_DIR/$user/password"
    printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' \
      "$user" "$pw" > "$USERS_DIR/$user/sasl.jaas.config"
  done
  # Readable by the images' own users (appuser, flink, psfleet): what keeps a secret from a
  # container is that the container does not mount its volume.
  chmod 644 "$CA_DIR/ca.crt" "$BROKER_DIR"/* "$USERS_DIR"/*/*
  echo "kafka-security: CA, broker certificate ($san) and passwords of $PRINCIPALS written"
}

admin() {
  local tool=$1
  shift
  "$KAFKA_BIN/$tool" --bootstrap-server "$ADMIN_BOOTSTRAP" \
    --command-config "$BROKER_DIR/admin.properties" "$@"
}

# user NAME: creates or updates NAME's SCRAM-SHA-512 credential with the password of its volume.
user() {
  local name=$1 pw
  pw=$(cat "$USERS_DIR/$name/password")
  admin kafka-configs.sh --alter --entity-type users --entity-name "$name" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$pw]" > /dev/null
  echo "kafka-security: user $name"
}

# acl USER RESOURCE-TYPE NAME literal|prefixed OPERATION...: allows USER (from any host) the
# operations on the resource; adding an ACL that exists is a no-op.
acl() {
  local name=$1 type=$2 resource=$3 pattern=$4 op
  shift 4
  local ops=()
  for op in "$@"; do ops+=(--operation "$op"); done
  admin kafka-acls.sh --add --allow-principal "User:$name" --allow-host '*' "${ops[@]}" \
    "--$type" "$resource" --resource-pattern-type "$pattern" > /dev/null
  echo "kafka-security: $name may $* on $type $resource ($pattern)"
}

users() {
  user psfleet-agent
  user psfleet-job
  user psfleet-soc

  # Agents (the simulator's shards, or real sensors): write telemetry and ground truth,
  # idempotently (KIP-679: WRITE on the topic is enough), nothing else.
  acl psfleet-agent topic psfleet.telemetry literal Write Describe
  acl psfleet-agent topic psfleet.ground-truth literal Write Describe

  # The detection job: read telemetry with its group (--group-id, default psfleet-detection), write
  # alerts and dead letters in transactions under its own transactional-id prefix (the group id);
  # read the rule sets without a group, write acknowledgements.
  acl psfleet-job topic psfleet.telemetry literal Read Describe
  acl psfleet-job topic psfleet.alerts literal Write Describe
  acl psfleet-job topic psfleet.telemetry.dlq literal Write Describe
  acl psfleet-job topic psfleet.rules literal Read Describe
  acl psfleet-job topic psfleet.rules.acks literal Write Describe
  acl psfleet-job group psfleet-detection literal Read
  acl psfleet-job transactional-id psfleet-detection prefixed Write Describe

  # The SOC: read alerts with its group; push rule sets and read the job's acknowledgements.
  acl psfleet-soc topic psfleet.alerts literal Read Describe
  acl psfleet-soc topic psfleet.rules literal Write Describe
  acl psfleet-soc topic psfleet.rules.acks literal Read Describe
  acl psfleet-soc group psfleet-soc literal Read
}

case "${1:-}" in
  certs) certs ;;
  users) users ;;
  *)
    echo "usage: $0 certs|users" >&2
    exit 2
    ;;
esac
