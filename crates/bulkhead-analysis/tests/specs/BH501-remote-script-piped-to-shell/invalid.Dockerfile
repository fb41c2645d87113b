FROM debian:12-slim
RUN curl -sL https://deb.nodesource.com/setup_20.x | bash -
RUN wget -qO- https://get.example.com/install.sh | sh -s -- --version 1.2
RUN curl -fsSL https://example.com/x.sh | sudo -E bash -
RUN curl -fsSL https://bootstrap.pypa.io/get-pip.py | python3
RUN sh -c "$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)"
RUN bash <(curl -fsSL https://example.com/setup.sh)
ONBUILD RUN curl -fsSL https://example.com/hook.sh \
    | bash
