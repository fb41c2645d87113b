FROM rockylinux:9
run dnf install -y --setopt=install_weak_deps=False gcc-c++ openssl-devel \
    && dnf clean all
