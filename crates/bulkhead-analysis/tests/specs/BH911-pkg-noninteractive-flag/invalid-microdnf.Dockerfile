FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
RUN microdnf install shadow-utils && microdnf clean all
RUN microdnf --nodocs update \
 && microdnf remove vim-minimal
