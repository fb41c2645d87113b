# syntax=docker/dockerfile:1
FROM rockylinux:9
RUN <<EOF
dnf install -y openssh-server
dnf clean all
EOF
ONBUILD RUN zypper --non-interactive install openssh
cmd ["sh", "-c", "/usr/sbin/sshd && exec app"]
