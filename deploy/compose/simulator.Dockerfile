# The fleet simulator (`./psfleet simulate`) as an image: one shaded jar on a Java 17 runtime.
# Arguments after the image name are the simulate command's, e.g.
#   docker run psfleet/simulator:0.1.0-SNAPSHOT simulate --bootstrap kafka:9092 --shard 1/4 ...
#
# Build context: the repository root, after `./mvnw -B -DskipTests install`:
#   docker build -f deploy/compose/simulator.Dockerfile -t psfleet/simulator:0.1.0-SNAPSHOT .
FROM eclipse-temurin:17-jre

RUN useradd --system --uid 10001 --home-dir /app psfleet
WORKDIR /app
COPY agent-sim/target/psfleet-agent.jar /app/psfleet-agent.jar
USER psfleet
ENTRYPOINT ["java", "-jar", "/app/psfleet-agent.jar"]
CMD ["simulate", "--help"]
