FROM ubuntu:24.04
RUN apt update && apt install -y --no-install-recommends curl
RUN apt upgrade -y \
    # a comment
    && apt full-upgrade -y
ONBUILD RUN /usr/bin/apt remove -y vim
run apt search python3 && apt list --installed
RUN apt -y autoremove
