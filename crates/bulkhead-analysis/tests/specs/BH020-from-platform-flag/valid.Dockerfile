FROM python:3.12-slim
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
FROM --platform=linux/arm64 alpine:3.20 AS tools-arm64
FROM --platform=windows/amd64 mcr.microsoft.com/windows/nanoserver:ltsc2022 AS windows-base
