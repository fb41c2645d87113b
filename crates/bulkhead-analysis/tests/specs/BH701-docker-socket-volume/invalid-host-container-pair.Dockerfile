FROM docker:27-cli
VOLUME /run/docker.sock:/run/docker.sock
VOLUME ["/data:/var/run/docker.sock"]
