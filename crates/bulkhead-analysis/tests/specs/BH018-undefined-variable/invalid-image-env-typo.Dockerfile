FROM golang:1.22
ENV PATH=$PTAH:/opt/bin
WORKDIR $GOAPTH/src/app
