FROM opensuse/leap:15.6
RUN zypper -n patch
RUN zypper -n patch --with-update
