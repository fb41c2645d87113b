FROM debian:bookworm-slim
  RUN ln -sf /bin/bash /bin/sh
RUN ln -sf /bin/bash /bin/sh && \
    # keep this comment
    apt-get update
