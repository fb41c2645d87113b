# A refresh followed by something that may install (a script, xargs) is not reported.
FROM debian:bookworm-slim
COPY install.sh packages.txt /tmp/
RUN apt-get update && /tmp/install.sh
RUN apt-get update && xargs -a /tmp/packages.txt apt-get install -y
RUN apt-get update && bash /tmp/install.sh
