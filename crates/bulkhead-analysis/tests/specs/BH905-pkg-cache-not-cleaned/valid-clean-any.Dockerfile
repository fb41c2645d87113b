# Any `clean` counts: the step chose which caches to keep.
FROM fedora:40
RUN yum install -y curl && yum clean packages
RUN dnf in -y curl && dnf clean metadata
RUN dnf rei -y curl && rm -rf /var/cache/dnf
