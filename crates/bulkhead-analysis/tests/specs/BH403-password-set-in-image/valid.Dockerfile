FROM debian:12-slim
# Locking or deleting a password is not setting one.
RUN useradd --system -p '*' svc && useradd -p '!' other && usermod -p '!!' root
RUN passwd -l root && passwd -d app && passwd --status root
# Hashing a password to print it sets nothing.
RUN openssl passwd -6 example > /dev/null
RUN echo "chpasswd is a tool" && grep -c passwd /etc/passwd
# A random value as the hash matches no password: the account is locked (docker/cli e2e connhelper-ssh).
RUN useradd --create-home --shell /bin/sh --password $(head -c32 /dev/urandom | base64) penguin
