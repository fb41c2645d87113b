# The Docker CLI image runs no daemon: a plain finding, with the USER fix.
FROM docker:27-cli
COPY deploy.sh /usr/local/bin/
CMD ["deploy.sh"]
