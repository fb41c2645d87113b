FROM ubuntu:24.04
ARG ROOT_PASSWORD
RUN useradd --create-home app \
    # give both accounts a password
    && echo 'app:correct-horse-battery' | chpasswd \
    && echo "root:${ROOT_PASSWORD}" | chpasswd
RUN echo "root:hunter2" | chpasswd -e
run chpasswd < /tmp/passwords.txt

FROM rockylinux:9
RUN echo s3cr3tpassw0rd | passwd --stdin root
RUN useradd -m -p '$6$salt$0123456789abcdefghijklmnopqrstuv' deploy \
    && usermod --password= ops \
    && usermod --password="$HASH" admin
ONBUILD RUN echo "app:onbuild-password" | chpasswd
