FROM node:22-slim
# hadolint skips a USER from a build argument; its default is what a plain build produces.
ARG RUN_AS=node
USER ${RUN_AS}
CMD ["node", "server.js"]
