// SPDX-License-Identifier: GPL-2.0
/* DNS queries with the exact sending task (its own object, vigil-dns.bpf.o, loaded by EbpfDnsProbe).
 * tp_btf/net_dev_queue fires in __dev_queue_xmit, which for locally generated UDP runs synchronously in the
 * sender's sendmsg: the current task is the querier. Packets without an owning socket (forwarded, or queued
 * from softirq) have no sending task here and are skipped. Kept: IPv4 (not a fragment) or IPv6 (UDP right
 * after the fixed header) UDP to one of the ports in `dns_ports`; up to VIGIL_DNS_PACKET_MAX bytes from the
 * IP header on are copied, only from the skb's linear head (the flags say what was left out). Parsing is the
 * agent's (the same parser as the raw-socket fallback). A failed reserve is counted in `dns_drops`. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "vigil_events.h"
#include "task_header.h"

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IP_FRAGMENT_MASK 0x3FFF /* MF flag and fragment offset */
#define UDP_PROTOCOL 17

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} dns_events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} dns_drops SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct vigil_dns_ports);
} dns_ports SEC(".maps");

static __always_inline int is_dns_port(__u16 port)
{
    __u32 zero = 0;
    struct vigil_dns_ports *ports = bpf_map_lookup_elem(&dns_ports, &zero);
    if (!ports)
        return 0;
#pragma unroll
    for (int i = 0; i < VIGIL_DNS_PORTS; i++) {
        if (ports->port[i] != 0 && ports->port[i] == port)
            return 1;
    }
    return 0;
}

/* Offset of the UDP header from the IP header, or 0 when the packet is not one this probe keeps. */
static __always_inline __u32 udp_offset(unsigned char *ip, __u16 protocol)
{
    if (protocol == ETH_P_IP) {
        struct iphdr iph;
        if (bpf_probe_read_kernel(&iph, sizeof(iph), ip) || iph.version != 4 || iph.ihl < 5)
            return 0;
        if (iph.protocol != UDP_PROTOCOL || (bpf_ntohs(iph.frag_off) & IP_FRAGMENT_MASK))
            return 0;
        return iph.ihl * 4;
    }
    if (protocol == ETH_P_IPV6) {
        struct ipv6hdr ip6;
        if (bpf_probe_read_kernel(&ip6, sizeof(ip6), ip) || ip6.version != 6 || ip6.nexthdr != UDP_PROTOCOL)
            return 0;
        return sizeof(struct ipv6hdr);
    }
    return 0;
}

SEC("tp_btf/net_dev_queue")
int BPF_PROG(handle_dns_queue, struct sk_buff *skb)
{
    if (!BPF_CORE_READ(skb, sk))
        return 0;
    __u16 protocol = bpf_ntohs(BPF_CORE_READ(skb, protocol));
    if (protocol != ETH_P_IP && protocol != ETH_P_IPV6)
        return 0;
    unsigned char *head = BPF_CORE_READ(skb, head);
    unsigned char *data = BPF_CORE_READ(skb, data);
    unsigned char *ip = head + BPF_CORE_READ(skb, network_header);
    __u32 len = BPF_CORE_READ(skb, len), data_len = BPF_CORE_READ(skb, data_len);
    if (ip < data || data_len > len || ip >= data + (len - data_len))
        return 0;
    __u64 linear = (data + (len - data_len)) - ip; /* bytes of the linear head from the IP header on */
    __u64 packet_len = (data + len) - ip;

    __u32 udp = udp_offset(ip, protocol);
    if (udp == 0 || udp + sizeof(struct udphdr) > linear)
        return 0;
    struct udphdr uh;
    if (bpf_probe_read_kernel(&uh, sizeof(uh), ip + udp) || !is_dns_port(bpf_ntohs(uh.dest)))
        return 0;

    struct vigil_dns *e = bpf_ringbuf_reserve(&dns_events, sizeof(*e), 0);
    if (!e) {
        __u32 zero = 0;
        __u64 *drops = bpf_map_lookup_elem(&dns_drops, &zero);
        if (drops)
            __sync_fetch_and_add(drops, 1);
        return 0;
    }
    fill_header(&e->h, VIGIL_DNS, (struct task_struct *)bpf_get_current_task());
    e->ifindex = BPF_CORE_READ(skb, dev, ifindex);
    e->packet_len = packet_len;
    __u64 copy = linear; /* 64-bit: a u32 size reaches the helper with upper bits the verifier cannot bound */
    e->flags = 0;
    if (packet_len > VIGIL_DNS_PACKET_MAX)
        e->flags |= VIGIL_DNS_CUT;
    if (packet_len > linear)
        e->flags |= VIGIL_DNS_NONLINEAR;
    if (copy > VIGIL_DNS_PACKET_MAX)
        copy = VIGIL_DNS_PACKET_MAX;
    if (bpf_probe_read_kernel(e->packet, copy, ip))
        copy = 0;
    e->captured = copy;
    bpf_ringbuf_submit(e, 0);
    return 0;
}
