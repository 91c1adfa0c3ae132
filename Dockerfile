# Switchboard gateway image (issue #17). Build: docker build -t switchboard:dev .
# Two stages: Maven builds the launcher jar and its lib/ from source; a JRE-only image runs it as a non-root user.
# See deploy/README.md for what was and was not run (no container runtime was available where this was written).

# ---------------------------------------------------------------- build
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# poms first: the dependency download is cached until a pom changes
COPY pom.xml ./
COPY core/pom.xml core/
COPY governance/pom.xml governance/
COPY datasets-lib/pom.xml datasets-lib/
COPY classifier/pom.xml classifier/
COPY router-service/pom.xml router-service/
COPY embedded/pom.xml embedded/
COPY eval-harness/pom.xml eval-harness/
COPY switchboard-cli/pom.xml switchboard-cli/
COPY microbench/pom.xml microbench/
RUN mvn -B -q -pl switchboard-cli -am dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN mvn -B -q -DskipTests -pl switchboard-cli -am package

# ---------------------------------------------------------------- runtime
FROM eclipse-temurin:17-jre-jammy
ARG UID=10001
RUN groupadd --system --gid ${UID} switchboard \
 && useradd --system --uid ${UID} --gid ${UID} --home-dir /var/lib/switchboard --shell /usr/sbin/nologin switchboard \
 && mkdir -p /opt/switchboard /var/lib/switchboard /etc/switchboard \
 && chown ${UID}:${UID} /var/lib/switchboard
WORKDIR /opt/switchboard
# the launcher jar finds lib/ beside it; models, policies and the recorded answers are the Switchboard home
COPY --from=build /src/switchboard-cli/target/switchboard.jar /opt/switchboard/switchboard.jar
COPY --from=build /src/switchboard-cli/target/lib/ /opt/switchboard/lib/
COPY --from=build /src/models/ /opt/switchboard/models/
COPY --from=build /src/policies/ /opt/switchboard/policies/
COPY --from=build /src/datasets/models.json /opt/switchboard/datasets/models.json
COPY --from=build /src/datasets/recorded/ /opt/switchboard/datasets/recorded/

# The launcher's JVM flags (./switchboard): ParallelGC, 512 MB initial heap, heap capped at half the container's
# memory, exit on OutOfMemoryError so Kubernetes restarts the container. SWITCHBOARD_JAVA_OPTS replaces them.
ENV SWITCHBOARD_JAVA_OPTS="-XX:+UseParallelGC -Xms512m -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError" \
    OPT_OUT_TRACKING=true \
    DJL_CACHE_DIR=/var/lib/switchboard/djl-cache
USER ${UID}:${UID}
EXPOSE 8080 8081
# /healthz on the health listener (server.health_port: 8081 in deploy/); bash's /dev/tcp, since the JRE image has no curl
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["sh", "-c", "exec java $SWITCHBOARD_JAVA_OPTS -Dai.djl.offline=true -Dswitchboard.home=/opt/switchboard -jar /opt/switchboard/switchboard.jar \"$@\"", "switchboard"]
CMD ["serve", "--config", "/etc/switchboard/switchboard.yaml", "--host", "0.0.0.0", "--data-dir", "/var/lib/switchboard"]
