# Long-term-support Java releases are not in the table (their end differs by vendor).
FROM eclipse-temurin:21-jre
CMD ["java", "-jar", "/app.jar"]
