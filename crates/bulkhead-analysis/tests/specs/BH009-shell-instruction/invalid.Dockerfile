FROM debian:bookworm-slim
RUN ln -sf /bin/bash /bin/sh
run ln -s bash /bin/sh && \
    apt-get update
RUN apt-get update && ln -snf /bin/bash /bin/sh
ONBUILD RUN ln -sf /bin/bash /bin/sh
