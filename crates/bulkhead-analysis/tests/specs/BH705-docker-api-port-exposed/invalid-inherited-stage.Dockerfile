FROM docker:27-dind AS daemon
EXPOSE 8080 \
    2375

FROM daemon
CMD ["dockerd-entrypoint.sh"]
