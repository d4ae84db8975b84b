package dev.rxrpc.spring.actuate;

import dev.rxrpc.endpoint.EndpointSnapshot;
import dev.rxrpc.spring.model.RxOperationModel;
import dev.rxrpc.spring.server.RxRpcServer;
import dev.rxrpc.spring.server.RxServiceDispatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plain maps and lists (JSON-ready) describing the server, shared by the endpoint, info and health. */
final class RxRpcDescriptions {

    private RxRpcDescriptions() {}

    static List<Map<String, Object>> services(RxRpcServer server) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RxServiceDispatcher d : server.dispatchers()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", d.model().name());
            s.put("serviceId", d.model().serviceId());
            s.put("type", d.model().type().getName());
            List<Map<String, Object>> ops = new ArrayList<>();
            for (RxOperationModel op : d.model().operations().values()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("opcode", op.opcode());
                o.put("name", op.name());
                o.put("signature", op.signature());
                o.put("blocking", op.resultKind().blocking());
                ops.add(o);
            }
            s.put("operations", ops);
            out.add(s);
        }
        return out;
    }

    static String micros(long nanos) {
        return nanos / 1000 + "us";
    }

    static Map<String, Object> snapshot(EndpointSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", Integer.toUnsignedString(s.epoch()));
        m.put("busiesSent", s.busiesSent());
        m.put("rejections", s.rejections());
        List<Map<String, Object>> listeners = new ArrayList<>();
        for (EndpointSnapshot.ServiceInfo i : s.services()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("serviceId", i.serviceId());
            l.put("backlog", i.backlog());
            l.put("poolLevel", i.poolLevel());
            l.put("activeCalls", i.activeCalls());
            l.put("admitted", i.admitted());
            l.put("busy", i.busy());
            l.put("refusingNewCalls", i.refusingNewCalls());
            listeners.add(l);
        }
        m.put("listeners", listeners);
        List<Map<String, Object>> peers = new ArrayList<>();
        for (EndpointSnapshot.PeerInfo p : s.peers()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put(
                    "address",
                    p.address().getAddress().getHostAddress() + ":"
                            + p.address().getPort());
            l.put("connections", p.connections());
            l.put("srtt", micros(p.srttNanos()));
            l.put("rto", micros(p.rtoNanos()));
            l.put("packetsSent", p.packetsSent());
            l.put("packetsResent", p.packetsResent());
            l.put("bytesSent", p.bytesSent());
            l.put("bytesReceived", p.bytesReceived());
            l.put("idle", micros(p.idleNanos()));
            peers.add(l);
        }
        m.put("peers", peers);
        List<Map<String, Object>> conns = new ArrayList<>();
        for (EndpointSnapshot.ConnectionInfo c : s.connections()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("role", c.role());
            l.put(
                    "peer",
                    c.peer().getAddress().getHostAddress() + ":" + c.peer().getPort());
            l.put("epoch", Integer.toUnsignedString(c.epoch()));
            l.put("cid", Integer.toUnsignedString(c.cid()));
            l.put("serviceId", c.serviceId());
            l.put("securityIndex", c.securityIndex());
            l.put("activeCalls", c.activeCalls());
            l.put("serial", Integer.toUnsignedString(c.serial()));
            l.put("error", c.error());
            l.put("idle", micros(c.idleNanos()));
            conns.add(l);
        }
        m.put("connections", conns);
        List<Map<String, Object>> calls = new ArrayList<>();
        for (EndpointSnapshot.CallInfo c : s.calls()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("role", c.role());
            l.put(
                    "peer",
                    c.peer().getAddress().getHostAddress() + ":" + c.peer().getPort());
            l.put("cid", Integer.toUnsignedString(c.cid()));
            l.put("callNumber", Integer.toUnsignedString(c.callNumber()));
            l.put("serviceId", c.serviceId());
            l.put("state", c.state());
            l.put("completion", c.completion());
            l.put("abortCode", c.abortCode());
            l.put("cwnd", c.cwnd());
            l.put("inFlight", c.inFlight());
            l.put("peerRwind", c.peerRwind());
            l.put("retransmits", c.retransmits());
            calls.add(l);
        }
        m.put("calls", calls);
        return m;
    }
}
