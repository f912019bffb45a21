// Command kube-apiserver-test runs a real kube-apiserver on loopback for tests,
// backed by an embedded etcd, with no Docker and no release downloads.
//
// Only the API server runs: no controller manager, scheduler or kubelet. So
// objects are stored, validated, defaulted and admitted (RBAC, PodSecurity,
// ServiceAccount, TokenRequest all work), but nothing reconciles them: pods
// never start, a namespace does not get its "default" ServiceAccount, and a
// deleted namespace stays Terminating.
//
// Usage:
//
//	kube-apiserver-test [--data-dir DIR] [--port N] [--extra-san IP,...] [--unix-socket PATH] [-- extra kube-apiserver flags]
//
// --extra-san adds IP addresses to the serving certificate, for a server that
// listens on more than loopback (inside a network namespace, say: pass
// --bind-address and --advertise-address after "--"). --unix-socket forwards
// a Unix socket to the loopback port: a socket file is reachable from every
// network namespace, so a test outside the server's namespace can still talk
// to it (the certificate is valid for 127.0.0.1 on that path).
//
// Logs go to stderr. When the server is ready, it writes DIR/admin.kubeconfig
// (user "admin" in group system:masters, bearer token) and prints exactly one
// line on stdout: "READY <kubeconfig path>". SIGTERM or SIGINT stops it.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kube-apiserver-test:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("kube-apiserver-test", flag.ExitOnError)
	dataDir := fs.String("data-dir", "", "folder for etcd data, certificates and admin.kubeconfig (default: a new temporary folder, removed on exit)")
	port := fs.Int("port", 0, "loopback port of the API server (0: pick a free one)")
	extraSANs := fs.String("extra-san", "", "comma list of further IP addresses for the serving certificate")
	unixSocket := fs.String("unix-socket", "", "also serve the API on this Unix socket (forwarded to the loopback port)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kube-apiserver-test [--data-dir DIR] [--port N] [--extra-san IP,...] [--unix-socket PATH] [-- extra kube-apiserver flags]")
		fs.PrintDefaults()
	}
	_ = fs.Parse(os.Args[1:]) // everything after "--" is left in fs.Args()

	if *dataDir == "" {
		dir, err := os.MkdirTemp("", "kube-apiserver-test-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*dataDir = dir
	}
	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if *port == 0 {
		if *port, err = freePort(); err != nil {
			return err
		}
	}

	sans, err := parseIPs(*extraSANs)
	if err != nil {
		return err
	}
	token, err := writeCredentials(dir, sans)
	if err != nil {
		return err
	}
	if *unixSocket != "" {
		if err := forwardUnixSocket(*unixSocket, "127.0.0.1:"+strconv.Itoa(*port)); err != nil {
			return err
		}
		defer os.Remove(*unixSocket)
	}

	// Created before etcd starts: it installs the SIGTERM/SIGINT handler, so
	// a signal from now on shuts everything down in order (a second one exits).
	cmd := app.NewAPIServerCommand()

	etcd, etcdURL, err := startEtcd(filepath.Join(dir, "etcd"))
	if err != nil {
		return err
	}
	defer etcd.Close()

	f := func(name string) string { return filepath.Join(dir, name) }
	cmd.SetArgs(append([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(*port),
		"--cert-dir=" + f("certs"),
		"--tls-cert-file=" + f("apiserver.crt"),
		"--tls-private-key-file=" + f("apiserver.key"),
		"--token-auth-file=" + f("tokens.csv"),
		"--authorization-mode=RBAC",
		// TokenRequest (and so projected ServiceAccount tokens) needs an
		// issuer and a signing key.
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + f("sa.key"),
		"--service-account-signing-key-file=" + f("sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24",
		// As on a real cluster: kube-vip's pods ask for privileges.
		"--allow-privileged=true",
		// The endpoint reconciler would try to publish 127.0.0.1 as the
		// "kubernetes" Service endpoint, which validation rejects.
		"--endpoint-reconciler-type=none",
		"--profiling=false",
	}, fs.Args()...))

	go func() {
		server := fmt.Sprintf("https://127.0.0.1:%d", *port)
		if err := waitReady(server, f("ca.crt"), token, cmd.Context().Done()); err != nil {
			return // shutting down before ready
		}
		kubeconfig := f("admin.kubeconfig")
		if err := writeKubeconfig(kubeconfig, server, f("ca.crt"), token); err != nil {
			fmt.Fprintln(os.Stderr, "kube-apiserver-test:", err)
			os.Exit(1)
		}
		fmt.Println("READY " + kubeconfig)
	}()

	return cmd.Execute() // returns after a signal, once the server has stopped
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before we bind it; that is unlikely enough for tests.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func parseIPs(list string) ([]net.IP, error) {
	var ips []net.IP
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		ip := net.ParseIP(s)
		if ip == nil {
			return nil, fmt.Errorf("--extra-san: %q is not an IP address", s)
		}
		ips = append(ips, ip)
	}
	return ips, nil
}

// forwardUnixSocket accepts connections on a Unix socket and copies bytes to
// and from target, one TCP connection each. TLS passes through untouched.
func forwardUnixSocket(path, target string) error {
	_ = os.Remove(path) // a stale socket from a killed run
	l, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				upstream, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer upstream.Close()
				done := make(chan struct{}, 2)
				go func() { _, _ = io.Copy(upstream, conn); done <- struct{}{} }()
				go func() { _, _ = io.Copy(conn, upstream); done <- struct{}{} }()
				<-done
			}()
		}
	}()
	return nil
}

func startEtcd(dir string) (*embed.Etcd, string, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, "", err
	}
	client := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(clientPort)}
	peer := url.URL{Scheme: "http", Host: "127.0.0.1:" + strconv.Itoa(peerPort)}

	cfg := embed.NewConfig()
	cfg.Dir = dir
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	cfg.UnsafeNoFsync = true // throwaway test data: speed over durability

	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, client.String(), nil
	case err := <-e.Err():
		e.Close()
		return nil, "", err
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", fmt.Errorf("etcd did not start within 60s")
	}
}

// writeCredentials writes a CA, a serving certificate signed by it, the
// ServiceAccount signing key and a static token for an admin user, all new
// on each start, and returns the token.
func writeCredentials(dir string, extraSANs []net.IP) (string, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	now := time.Now()
	ca := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kube-apiserver-test-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return "", err
	}

	serverKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	server := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default",
			"kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		// 10.0.0.1 is the "kubernetes" Service IP in --service-cluster-ip-range.
		IPAddresses: append([]net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback, net.IPv4(10, 0, 0, 1)}, extraSANs...),
	}
	serverDER, err := x509.CreateCertificate(rand.Reader, server, ca, &serverKey.PublicKey, caKey)
	if err != nil {
		return "", err
	}

	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}

	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	token := hex.EncodeToString(secret)

	files := map[string][]byte{
		"ca.crt":        pemBytes("CERTIFICATE", caDER),
		"apiserver.crt": pemBytes("CERTIFICATE", serverDER),
		"apiserver.key": ecKeyPEM(serverKey),
		"sa.key":        ecKeyPEM(saKey),
		// token,user,uid,"groups": system:masters may do anything, RBAC or not.
		"tokens.csv":  []byte(token + ",admin,admin,\"system:masters\"\n"),
		"admin.token": []byte(token),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return "", err
		}
	}
	return token, nil
}

func pemBytes(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func ecKeyPEM(key *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		panic(err) // only fails for unsupported curves
	}
	return pemBytes("EC PRIVATE KEY", der)
}

// waitReady polls /readyz, which turns 200 only after etcd is reachable and
// the post-start hooks (bootstrap RBAC roles, priority levels, ...) are done.
func waitReady(server, caFile, token string, stop <-chan struct{}) error {
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	client := &http.Client{
		Timeout:   2 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
	for {
		req, _ := http.NewRequest(http.MethodGet, server+"/readyz", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-stop:
			return fmt.Errorf("stopped")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// writeKubeconfig writes through a temporary file and a rename, so a reader
// never sees a half-written kubeconfig.
func writeKubeconfig(path, server, caFile, token string) error {
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["test"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["test"] = &clientcmdapi.Context{Cluster: "test", AuthInfo: "admin"}
	cfg.CurrentContext = "test"
	if err := clientcmd.WriteToFile(*cfg, path+".tmp"); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}
