# A CI image on docker:dind with its own entrypoint still runs the daemon: info, no fix.
FROM docker:27.3-dind-alpine3.20
COPY ci-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["ci-entrypoint.sh"]
CMD ["--tls=false"]
