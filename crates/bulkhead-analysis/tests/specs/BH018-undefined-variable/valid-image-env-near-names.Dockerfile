FROM golang:1.22
# A token named PAT, a name close to nothing.
ARG PAT
ENV GIT_PAT=$PAT
ENV X=$HOSTNAME
ENV Z=$PTH
