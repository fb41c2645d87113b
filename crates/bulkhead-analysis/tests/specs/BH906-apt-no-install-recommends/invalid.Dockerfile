FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get -o Dpkg::Options::=--force-confold -y install \
      # tools
      git \
    && rm -rf /var/lib/apt/lists/*
RUN apt install -y jq
RUN apt-get install -y -o APT::Install-Recommends=true wget
RUN <<EOF
apt-get update
apt-get install -y make
EOF
ONBUILD RUN apt-get install -y make
