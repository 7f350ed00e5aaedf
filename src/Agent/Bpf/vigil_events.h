/* Records the BPF programs write into the ring buffer. The C# side mirrors these layouts in
 * Probes/Ebpf/EbpfRecords.cs: change both together (little-endian x86_64, natural alignment). */
#pragma once

#define VIGIL_COMM_LEN 16
#define VIGIL_PATH_MAX 256
#define VIGIL_TTY_MAX 64
#define VIGIL_ARGS_MAX 4096 /* power of two: the size is clamped with a mask for the verifier */
#define VIGIL_ENVS_MAX 2048
#define VIGIL_STR_MAX 128
#define VIGIL_DNS_PACKET_MAX 512 /* bytes copied from the IP header on */
#define VIGIL_DNS_PORTS 16

enum vigil_record_type {
    VIGIL_EXEC = 1,
    VIGIL_FORK = 2,
    VIGIL_EXIT = 3,
    VIGIL_SYSCALL = 4,
    VIGIL_DNS = 5,      /* dns.bpf.c, its own ring buffer */
};

/* Which syscall a VIGIL_SYSCALL record describes (the x86_64 syscall number). */
struct vigil_header {
    __u32 type;
    __u32 pid;        /* tgid */
    __u32 tid;
    __u32 ppid;       /* real_parent->tgid */
    __u64 timestamp;  /* bpf_ktime_get_boot_ns */
    __u64 cgroup_id;
    __u32 uid, gid, euid, egid, fsuid, fsgid, auid;
    __u32 reserved;
    __u64 cap_effective;
    __u64 cap_permitted;
    char comm[VIGIL_COMM_LEN];
};

struct vigil_exec {
    struct vigil_header h;
    __u64 exe_inode;
    __u32 exe_dev;      /* kernel s_dev encoding: major << 20 | minor */
    __u32 args_len;
    __u32 envs_len;
    __u32 args_truncated;
    __u32 envs_truncated;
    __u32 old_pid;
    char tty[VIGIL_TTY_MAX];
    char filename[VIGIL_PATH_MAX];
    char args[VIGIL_ARGS_MAX];  /* NUL-separated, as in /proc/pid/cmdline */
    char envs[VIGIL_ENVS_MAX];
    /* The executable's inode metadata at exec, so user space needs no stat (valid = 0: read it from /proc). */
    __u32 exe_meta_valid;
    __u32 exe_mode;
    __u32 exe_uid;
    __u32 exe_gid;
    __s64 exe_size;
    __s64 exe_mtime_ns;
    __s64 exe_ctime_ns;
};

struct vigil_fork {
    struct vigil_header h;  /* the child: pid, ppid = parent tgid */
    __u32 child_pid;
    __u32 parent_pid;
};

struct vigil_exit {
    struct vigil_header h;
    __u32 exit_code;    /* raw wait status: code << 8 | signal */
    __u32 reserved2;
};

struct vigil_syscall {
    struct vigil_header h;
    __u32 nr;           /* x86_64 syscall number */
    __u32 reserved2;
    __u64 args[6];
    char str0[VIGIL_STR_MAX];
    char str1[VIGIL_STR_MAX];
    char str2[VIGIL_STR_MAX];
};

/* A UDP packet to a DNS port, queued by the task in the header (dns.bpf.c). */
#define VIGIL_DNS_CUT 1       /* the packet is longer than VIGIL_DNS_PACKET_MAX */
#define VIGIL_DNS_NONLINEAR 2 /* part of the packet is outside the skb's linear head and was not copied */
struct vigil_dns {
    struct vigil_header h;
    __u32 ifindex;
    __u32 packet_len;   /* bytes from the IP header to the end of the packet */
    __u32 captured;     /* bytes of packet[] filled */
    __u32 flags;        /* VIGIL_DNS_CUT | VIGIL_DNS_NONLINEAR */
    __u8 packet[VIGIL_DNS_PACKET_MAX];
};

/* The DNS ports the agent fills in (host order; 0 = unused slot). */
struct vigil_dns_ports {
    __u16 port[VIGIL_DNS_PORTS];
};
