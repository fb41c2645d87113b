# Only Docker Hub's official `docker` image is taken for Docker-in-Docker by its name.
FROM registry.example.com/tools/docker:dind
COPY deploy.sh /usr/local/bin/
CMD ["deploy.sh"]
