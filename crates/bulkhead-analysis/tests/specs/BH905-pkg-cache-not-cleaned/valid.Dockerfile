FROM rockylinux:9 AS build
RUN dnf install -y gcc make
FROM rockylinux:9
COPY --from=build /out /out
RUN dnf install -y nginx && dnf clean all
RUN yum install -y httpd && yum clean all
RUN microdnf install -y tar && microdnf clean all
RUN zypper -n in curl && zypper cc -a
RUN dnf install -y jq && rm -rf /var/cache/dnf
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y git
RUN yarn install && yarn cache clean
RUN yarn build
