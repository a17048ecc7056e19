# SPDX-License-Identifier: GPL-2.0
# lsm-stack test profile. A task enters it by executing /tmp/lsmtest/lsmpol (attachment by
# path: guest/policy-tests.sh copies the helper there), or by writing "exec lsmtest" to
# /proc/self/attr/apparmor/exec before execve. It may do what an unconfined task does
# with files, except read the secret the tests plant at /tmp/aa-secret.

abi <abi/3.0>,

profile lsmtest /tmp/lsmtest/lsmpol {
  # Files: everything, executables run in this same profile.
  /** rwlkm,
  /** ix,
  # The one thing it must not do (an explicit deny wins over the allow above; "audit"
  # logs each denial, which deny rules otherwise do quietly).
  audit deny /tmp/aa-secret r,

  capability,
  network,
  signal,
  ptrace,
  unix,
  mount,
  umount,
  pivot_root,
}
