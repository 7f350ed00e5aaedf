/* The common record header filled from the current task: ids, credentials, cgroup, comm. Shared by the event
 * probes (vigil.bpf.c) and the DNS probe (dns.bpf.c), whose records the agent decodes with the same reader.
 * Include after vmlinux.h, the libbpf headers and vigil_events.h. */
#pragma once

static __always_inline void fill_header(struct vigil_header *h, __u32 type, struct task_struct *task)
{
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    h->type = type;
    h->pid = pid_tgid >> 32;
    h->tid = (__u32)pid_tgid;
    h->ppid = BPF_CORE_READ(task, real_parent, tgid);
    h->timestamp = bpf_ktime_get_boot_ns();
    h->cgroup_id = bpf_get_current_cgroup_id();
    const struct cred *cred = BPF_CORE_READ(task, cred);
    h->uid = BPF_CORE_READ(cred, uid.val);
    h->gid = BPF_CORE_READ(cred, gid.val);
    h->euid = BPF_CORE_READ(cred, euid.val);
    h->egid = BPF_CORE_READ(cred, egid.val);
    h->fsuid = BPF_CORE_READ(cred, fsuid.val);
    h->fsgid = BPF_CORE_READ(cred, fsgid.val);
    h->auid = (__u32)-1;
    if (bpf_core_field_exists(task->loginuid))
        h->auid = BPF_CORE_READ(task, loginuid.val);
    h->cap_effective = BPF_CORE_READ(cred, cap_effective.val);
    h->cap_permitted = BPF_CORE_READ(cred, cap_permitted.val);
    h->reserved = 0;
    bpf_get_current_comm(h->comm, sizeof(h->comm));
}
