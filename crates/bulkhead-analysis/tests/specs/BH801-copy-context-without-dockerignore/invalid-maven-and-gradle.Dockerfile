FROM maven:3.9-eclipse-temurin-21 AS api
WORKDIR /src
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY . .
RUN mvn -B package -DskipTests

FROM gradle:8-jdk21 AS worker
WORKDIR /src
COPY . .
RUN gradle --no-daemon bootJar

FROM eclipse-temurin:21-jre
COPY --from=api /src/target/api.jar /api.jar
COPY --from=worker /src/build/libs/worker.jar /worker.jar
