# The detection job on the official Flink image, for application mode: the JobManager's
# `standalone-job --job-classname io.psfleet.jobs.FleetDetectionJob` finds the class in usrlib,
# and the TaskManagers load it from the same place. Flink itself comes from the image (the jar has
# it as `provided`), so the image's Flink version must be the one the jar was built against.
#
# Build context: the repository root, after `./mvnw -B -DskipTests install`:
#   docker build -f deploy/compose/job.Dockerfile -t psfleet/jobs:0.1.0-SNAPSHOT .
FROM flink:2.2.1-scala_2.12-java17

# The image runs as user flink, which owns /opt/flink. Checkpoints and savepoints are directories
# of the image so that a fresh named volume mounted there is writable by that user.
RUN mkdir -p /opt/flink/usrlib /opt/flink/checkpoints /opt/flink/savepoints
COPY --chown=flink:flink stream-jobs/target/psfleet-jobs.jar /opt/flink/usrlib/psfleet-jobs.jar
