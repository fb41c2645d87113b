# A shell as the command: a toolbox or development image, full on purpose.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends git make && rm -rf /var/lib/apt/lists/*
CMD ["bash"]
