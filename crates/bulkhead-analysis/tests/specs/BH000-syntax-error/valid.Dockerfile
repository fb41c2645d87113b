# syntax=docker/dockerfile:1
# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell -Command `
    Write-Host hi
FROM alpine:3.20
ENV PATH /usr/bin
ENV A=1 B="2 3" C=
