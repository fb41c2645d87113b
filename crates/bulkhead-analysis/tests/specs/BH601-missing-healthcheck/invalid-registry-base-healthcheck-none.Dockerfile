# The base image switches its healthcheck off (HEALTHCHECK NONE): nothing checks this service.
FROM registry.example.com/team/api-base:1.5.0
EXPOSE 8080
CMD ["api"]
