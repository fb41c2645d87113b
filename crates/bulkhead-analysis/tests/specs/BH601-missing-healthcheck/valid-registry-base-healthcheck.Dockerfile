# The base image's config has a healthcheck, which this image inherits.
FROM registry.example.com/team/api-base:1.4.2
EXPOSE 8080
CMD ["api"]
