// SPDX-License-Identifier: GPL-2.0
/* Vigil's kernel probes: process lifecycle (exec, fork, exit) and kernel activity syscalls, all
 * through tracepoints (tp/, tp_btf/, raw_tp): kprobes, fentry and BPF-LSM are not assumed to exist.
 * Every event goes to one ring buffer; a failed reserve is counted in `drops`. Built against a
 * vmlinux.h generated from the build machine's BTF and relocated at load time (CO-RE). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "vigil_events.h"
#include "task_header.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the agent before load (bpf_map__initial_value on .rodata): its own tgid, whose syscall
 * activity (the .NET runtime's mprotect/memfd, the agent's own bpf() calls) is not reported. */
const volatile __u32 agent_tgid = 0;

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} drops SEC(".maps");

/* Wake-up batching. The reader sets `reader_gathering` (mmap'd .bss) while it lets records pile up for a short
 * delay after a batch: records submitted meanwhile do not wake it (BPF_RB_NO_WAKEUP), so a storm costs one wake-up
 * of the agent per batch instead of one per record. Two kinds still wake it at once (BPF_RB_FORCE_WAKEUP): an exec
 * whose process Active Protection has just stopped (SIGSTOP pending: it waits for the agent's verdict), and any record
 * once `wakeup_bytes` are waiting (the ring must not fill). While the reader waits idle (`reader_gathering` 0) the
 * kernel's default applies: the first record after it has caught up wakes it. `wakeup_bytes` is set before load.
 * EbpfProbe writes .rodata and .bss at fixed offsets: agent_tgid at 0, wakeup_bytes at 8, reader_gathering at 0 of
 * .bss (checked with llvm-objdump -t); keep these the only globals, in this order. */
const volatile __u64 wakeup_bytes = 1024 * 1024;
volatile __u32 reader_gathering = 0;

#define SIGSTOP_BIT (1ULL << (19 - 1))

static __always_inline __u64 wakeup_flags(int urgent)
{
    if (!reader_gathering)
        return 0;
    if (urgent || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
        return BPF_RB_FORCE_WAKEUP;
    return BPF_RB_NO_WAKEUP;
}

static __always_inline void count_drop(void)
{
    __u32 zero = 0;
    __u64 *value = bpf_map_lookup_elem(&drops, &zero);
    if (value)
        __sync_fetch_and_add(value, 1);
}

/* ---- exec record: the executable's metadata --------------------------------------------------- */

/* Inode times as kernels >= 6.11 store them; older layouts leave exe_meta_valid 0 and user space stats the file. */
struct inode___split_times {
    time64_t i_mtime_sec;
    time64_t i_ctime_sec;
    u32 i_mtime_nsec;
    u32 i_ctime_nsec;
} __attribute__((preserve_access_index));

static __always_inline void fill_exe_meta(struct vigil_exec *e, struct file *exe)
{
    struct inode *inode = BPF_CORE_READ(exe, f_inode);
    struct inode___split_times *times = (void *)inode;
    e->exe_meta_valid = 0;
    if (!inode || !bpf_core_field_exists(times->i_mtime_sec) || !bpf_core_field_exists(times->i_ctime_nsec))
        return;
    e->exe_mode = BPF_CORE_READ(inode, i_mode);
    e->exe_uid = BPF_CORE_READ(inode, i_uid.val);
    e->exe_gid = BPF_CORE_READ(inode, i_gid.val);
    e->exe_size = BPF_CORE_READ(inode, i_size);
    e->exe_mtime_ns = BPF_CORE_READ(times, i_mtime_sec) * 1000000000LL + BPF_CORE_READ(times, i_mtime_nsec);
    e->exe_ctime_ns = BPF_CORE_READ(times, i_ctime_sec) * 1000000000LL + BPF_CORE_READ(times, i_ctime_nsec);
    e->exe_meta_valid = 1;
}

/* ---- process lifecycle ------------------------------------------------------------------------ */

SEC("tp/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
    struct vigil_exec *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e) {
        count_drop();
        return 0;
    }
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    fill_header(&e->h, VIGIL_EXEC, task);
    e->old_pid = ctx->old_pid;

    unsigned int loc = ctx->__data_loc_filename & 0xFFFF;
    bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + loc);

    struct file *exe = BPF_CORE_READ(task, mm, exe_file);
    e->exe_inode = BPF_CORE_READ(exe, f_inode, i_ino);
    e->exe_dev = BPF_CORE_READ(exe, f_inode, i_sb, s_dev);
    fill_exe_meta(e, exe);

    e->tty[0] = 0;
    struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
    if (tty)
        bpf_probe_read_kernel_str(e->tty, sizeof(e->tty), tty->name);

    struct mm_struct *mm = BPF_CORE_READ(task, mm);
    unsigned long start = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
    unsigned long len = end - start;
    e->args_truncated = len > VIGIL_ARGS_MAX;
    if (len > VIGIL_ARGS_MAX)
        len = VIGIL_ARGS_MAX;
    len &= (VIGIL_ARGS_MAX - 1) | VIGIL_ARGS_MAX;
    if (len > 0 && len <= VIGIL_ARGS_MAX && bpf_probe_read_user(e->args, len, (void *)start) == 0)
        e->args_len = len;
    else
        e->args_len = 0;

    start = BPF_CORE_READ(mm, env_start);
    end = BPF_CORE_READ(mm, env_end);
    len = end - start;
    e->envs_truncated = len > VIGIL_ENVS_MAX;
    if (len > VIGIL_ENVS_MAX)
        len = VIGIL_ENVS_MAX;
    len &= (VIGIL_ENVS_MAX - 1) | VIGIL_ENVS_MAX;
    if (len > 0 && len <= VIGIL_ENVS_MAX && bpf_probe_read_user(e->envs, len, (void *)start) == 0)
        e->envs_len = len;
    else
        e->envs_len = 0;

    /* Active Protection's exec program (attached first) stops held processes with SIGSTOP: deliver those now. */
    __u64 pending = BPF_CORE_READ(task, signal, shared_pending.signal.sig[0]);
    bpf_ringbuf_submit(e, wakeup_flags((pending & SIGSTOP_BIT) != 0));
    return 0;
}

/* tp_btf gives the child task: threads (pid != tgid) are not processes and are skipped. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
    if (child->pid != child->tgid)
        return 0;
    struct vigil_fork *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e) {
        count_drop();
        return 0;
    }
    fill_header(&e->h, VIGIL_FORK, (struct task_struct *)bpf_get_current_task());
    e->child_pid = child->tgid;
    e->parent_pid = parent->tgid;
    e->h.pid = child->tgid;
    e->h.tid = child->pid;
    e->h.ppid = parent->tgid;
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

SEC("tp/sched/sched_process_exit")
int handle_exit(void *ctx)
{
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    if ((pid_tgid >> 32) != (__u32)pid_tgid)
        return 0; /* a thread, not the group leader */
    struct vigil_exit *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e) {
        count_drop();
        return 0;
    }
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    fill_header(&e->h, VIGIL_EXIT, task);
    e->exit_code = BPF_CORE_READ(task, exit_code);
    e->reserved2 = 0;
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

/* ---- kernel activity: syscall entry tracepoints ----------------------------------------------- */

static __always_inline struct vigil_syscall *begin_syscall(__u32 nr)
{
    if ((bpf_get_current_pid_tgid() >> 32) == agent_tgid)
        return 0;
    struct vigil_syscall *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e) {
        count_drop();
        return 0;
    }
    fill_header(&e->h, VIGIL_SYSCALL, (struct task_struct *)bpf_get_current_task());
    e->nr = nr;
    e->reserved2 = 0;
    for (int i = 0; i < 6; i++)
        e->args[i] = 0;
    e->str0[0] = 0;
    e->str1[0] = 0;
    e->str2[0] = 0;
    return e;
}

/* Constant indexes only: the verifier rejects ctx->args[i] with a variable i ("modified ctx ptr"). */
#define COPY_ARGS(e, ctx, arity)                                   \
    do {                                                           \
        if ((arity) > 0) (e)->args[0] = (ctx)->args[0];            \
        if ((arity) > 1) (e)->args[1] = (ctx)->args[1];            \
        if ((arity) > 2) (e)->args[2] = (ctx)->args[2];            \
        if ((arity) > 3) (e)->args[3] = (ctx)->args[3];            \
        if ((arity) > 4) (e)->args[4] = (ctx)->args[4];            \
        if ((arity) > 5) (e)->args[5] = (ctx)->args[5];            \
    } while (0)

/* A syscall tracepoint may only read as many args as the syscall has (else attach fails with EACCES). */
#define SYSCALL_PROBE(name, nr, arity)                                        \
    SEC("tp/syscalls/sys_enter_" #name)                                     \
    int handle_##name(struct trace_event_raw_sys_enter *ctx)                \
    {                                                                         \
        struct vigil_syscall *e = begin_syscall(nr);                          \
        if (!e)                                                               \
            return 0;                                                         \
        COPY_ARGS(e, ctx, arity);                                             \
        bpf_ringbuf_submit(e, wakeup_flags(0));                               \
        return 0;                                                             \
    }

SYSCALL_PROBE(ptrace, 101, 4)
SYSCALL_PROBE(bpf, 321, 3)
SYSCALL_PROBE(setuid, 105, 1)
SYSCALL_PROBE(setgid, 106, 1)
SYSCALL_PROBE(setreuid, 113, 2)
SYSCALL_PROBE(setregid, 114, 2)
SYSCALL_PROBE(setresuid, 117, 3)
SYSCALL_PROBE(setresgid, 119, 3)
SYSCALL_PROBE(setfsuid, 122, 1)
SYSCALL_PROBE(setfsgid, 123, 1)
SYSCALL_PROBE(kill, 62, 2)
SYSCALL_PROBE(tkill, 200, 2)
SYSCALL_PROBE(tgkill, 234, 3)

/* capset(header, data): data is two __user_cap_data_struct {effective, permitted, inheritable}. */
SEC("tp/syscalls/sys_enter_capset")
int handle_capset(struct trace_event_raw_sys_enter *ctx)
{
    struct vigil_syscall *e = begin_syscall(126);
    if (!e)
        return 0;
    e->args[0] = ctx->args[0];
    e->args[1] = ctx->args[1];
    bpf_probe_read_user(e->str0, 24, (void *)ctx->args[1]);
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

SEC("tp/syscalls/sys_enter_memfd_create")
int handle_memfd_create(struct trace_event_raw_sys_enter *ctx)
{
    struct vigil_syscall *e = begin_syscall(319);
    if (!e)
        return 0;
    e->args[0] = ctx->args[0];
    e->args[1] = ctx->args[1];
    bpf_probe_read_user_str(e->str0, sizeof(e->str0), (void *)ctx->args[0]);
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

SEC("tp/syscalls/sys_enter_mount")
int handle_mount(struct trace_event_raw_sys_enter *ctx)
{
    struct vigil_syscall *e = begin_syscall(165);
    if (!e)
        return 0;
    COPY_ARGS(e, ctx, 5);
    bpf_probe_read_user_str(e->str0, sizeof(e->str0), (void *)ctx->args[0]); /* source */
    bpf_probe_read_user_str(e->str1, sizeof(e->str1), (void *)ctx->args[1]); /* mount point */
    bpf_probe_read_user_str(e->str2, sizeof(e->str2), (void *)ctx->args[2]); /* fs type */
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

SEC("tp/syscalls/sys_enter_umount")
int handle_umount(struct trace_event_raw_sys_enter *ctx)
{
    struct vigil_syscall *e = begin_syscall(166);
    if (!e)
        return 0;
    e->args[0] = ctx->args[0];
    e->args[1] = ctx->args[1];
    bpf_probe_read_user_str(e->str1, sizeof(e->str1), (void *)ctx->args[0]);
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

/* Executable memory: anonymous PROT_EXEC mappings and PROT_EXEC mprotect only (library loading maps
 * files, which would be several events per exec). Optional: loaded when a rule needs them. */
SEC("tp/syscalls/sys_enter_mmap")
int handle_mmap(struct trace_event_raw_sys_enter *ctx)
{
    if (!(ctx->args[2] & 4) || (long)ctx->args[4] >= 0)
        return 0;
    struct vigil_syscall *e = begin_syscall(9);
    if (!e)
        return 0;
    COPY_ARGS(e, ctx, 6);
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

SEC("tp/syscalls/sys_enter_mprotect")
int handle_mprotect(struct trace_event_raw_sys_enter *ctx)
{
    if (!(ctx->args[2] & 4))
        return 0;
    struct vigil_syscall *e = begin_syscall(10);
    if (!e)
        return 0;
    e->args[0] = ctx->args[0];
    e->args[1] = ctx->args[1];
    e->args[2] = ctx->args[2];
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}

/* Module loading has no sys_enter_* tracepoint when CONFIG_MODULES is off (attempts then fail with
 * ENOSYS): the raw syscall tracepoint sees them. It costs every syscall a few dozen ns, so it is
 * optional: loaded only when a load_module rule exists. */
SEC("raw_tp/sys_enter")
int BPF_PROG(handle_module_attempt, struct pt_regs *regs, long id)
{
    if (id != 175 && id != 313)
        return 0;
    struct vigil_syscall *e = begin_syscall(id);
    if (!e)
        return 0;
    e->args[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
    e->args[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
    e->args[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
    if (id == 175) /* init_module(image, len, params) */
        bpf_probe_read_user_str(e->str1, sizeof(e->str1), (void *)e->args[2]);
    else /* finit_module(fd, params, flags) */
        bpf_probe_read_user_str(e->str1, sizeof(e->str1), (void *)e->args[1]);
    bpf_ringbuf_submit(e, wakeup_flags(0));
    return 0;
}
