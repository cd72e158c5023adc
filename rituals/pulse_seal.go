package rituals

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// An anonymous pulse seals every answer to the public key of each group
// it counts in: the whole audience, and the person's role. Nobody keeps a
// group's private key. It is split when the pulse is sent into one share
// per person of the group (Shamir's scheme), any threshold of which rebuild
// it, and each share travels only in its holder's DM. A person's share is
// stored beside their sealed answer; so a group's answers can be read once,
// and only once, the threshold of its members have answered: when the pulse
// closes, the same moment its results may be shown. Below that, the
// database holds nothing that reads as an answer, even for a role with a
// single respondent.

// shareField is the prime field of the key shares: 2^255 - 19. Its
// elements fit the 32 bytes of an X25519 private key.
var shareField = func() *big.Int {
	p := new(big.Int).Lsh(big.NewInt(1), 255)
	return p.Sub(p, big.NewInt(19))
}()

// keyShare is the point (X, Y) of a group key's polynomial; X > 0.
type keyShare struct {
	X int
	Y *big.Int
}

func (s keyShare) String() string {
	return strconv.Itoa(s.X) + "." + base64.RawURLEncoding.EncodeToString(s.Y.FillBytes(make([]byte, 32)))
}

func parseShare(s string) (keyShare, error) {
	xs, ys, ok := strings.Cut(s, ".")
	x, err := strconv.Atoi(xs)
	y, err2 := base64.RawURLEncoding.DecodeString(ys)
	if !ok || err != nil || err2 != nil || x <= 0 || len(y) != 32 {
		return keyShare{}, errors.New("malformed key share")
	}
	return keyShare{X: x, Y: new(big.Int).SetBytes(y)}, nil
}

// newGroupKey makes a group's key pair and splits its private key into n
// shares, any threshold of which rebuild it. It returns the public key;
// the private key is dropped here.
func newGroupKey(n, threshold int) ([]byte, []keyShare, error) {
	coef := make([]*big.Int, threshold)
	for i := range coef {
		c, err := rand.Int(rand.Reader, shareField)
		if err != nil {
			return nil, nil, fmt.Errorf("group key: %w", err)
		}
		coef[i] = c
	}
	priv, err := ecdh.X25519().NewPrivateKey(coef[0].FillBytes(make([]byte, 32)))
	if err != nil {
		return nil, nil, fmt.Errorf("group key: %w", err)
	}
	shares := make([]keyShare, n)
	for i := range shares {
		x := big.NewInt(int64(i + 1))
		y := new(big.Int)
		for j := len(coef) - 1; j >= 0; j-- {
			y.Mul(y, x).Add(y, coef[j]).Mod(y, shareField)
		}
		shares[i] = keyShare{X: i + 1, Y: y}
	}
	return priv.PublicKey().Bytes(), shares, nil
}

// rebuildGroupKey rebuilds a group's private key from threshold of its
// shares (distinct X) and checks it against the public key.
func rebuildGroupKey(shares []keyShare, public []byte) (*ecdh.PrivateKey, error) {
	secret := new(big.Int)
	for i, si := range shares {
		num, den := big.NewInt(1), big.NewInt(1)
		for j, sj := range shares {
			if i != j {
				num.Mul(num, big.NewInt(int64(sj.X))).Mod(num, shareField)
				den.Mul(den, big.NewInt(int64(sj.X-si.X))).Mod(den, shareField)
			}
		}
		term := num.Mul(num, den.ModInverse(den, shareField))
		secret.Add(secret, term.Mul(term, si.Y)).Mod(secret, shareField)
	}
	priv, err := ecdh.X25519().NewPrivateKey(secret.FillBytes(make([]byte, 32)))
	if err != nil {
		return nil, err
	}
	if string(priv.PublicKey().Bytes()) != string(public) {
		return nil, errors.New("the shares do not rebuild the group's key")
	}
	return priv, nil
}

// padded returns b with its length in front, padded with zeros to a
// multiple of block bytes, so a sealed answer's size says little of it.
func padded(b []byte, block int) []byte {
	n := (4 + len(b) + block - 1) / block * block
	out := make([]byte, n)
	binary.BigEndian.PutUint32(out, uint32(len(b)))
	copy(out[4:], b)
	return out
}

func unpadded(b []byte) ([]byte, error) {
	if len(b) < 4 || int(binary.BigEndian.Uint32(b)) > len(b)-4 {
		return nil, errors.New("malformed padding")
	}
	return b[4 : 4+binary.BigEndian.Uint32(b)], nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

const sealInfo = "alignbot pulse answer v1"

// sealTo encrypts plaintext to a group's public key: an ephemeral X25519
// key agreement, HKDF and AES-GCM. Each seal has a key of its own, so the
// nonce can be fixed.
func sealTo(public, plaintext []byte) (string, error) {
	pub, err := ecdh.X25519().NewPublicKey(public)
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	epub := eph.PublicKey().Bytes()
	aead, err := sealCipher(shared, epub, public)
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	out := aead.Seal(epub, make([]byte, aead.NonceSize()), plaintext, nil)
	return base64.RawStdEncoding.EncodeToString(out), nil
}

// openWith decrypts what sealTo sealed to priv's public key.
func openWith(priv *ecdh.PrivateKey, sealed string) ([]byte, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < 32 {
		return nil, errors.New("malformed sealed answer")
	}
	epub, err := ecdh.X25519().NewPublicKey(raw[:32])
	if err != nil {
		return nil, err
	}
	shared, err := priv.ECDH(epub)
	if err != nil {
		return nil, err
	}
	aead, err := sealCipher(shared, raw[:32], priv.PublicKey().Bytes())
	if err != nil {
		return nil, err
	}
	return aead.Open(nil, make([]byte, aead.NonceSize()), raw[32:], nil)
}

func sealCipher(shared, epub, public []byte) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, shared, append(append([]byte(nil), epub...), public...), sealInfo, 32)
	if err != nil {
		return nil, err
	}
	return gcm(key)
}

// tokenCipher is the cipher of what only the holder of token may read
// back: their own answer, to show it to them.
func tokenCipher(token, context string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, []byte(token), nil, "alignbot pulse own answer v1\x00"+context, 32)
	if err != nil {
		return nil, err
	}
	return gcm(key)
}

// sealForToken encrypts plaintext so that only token opens it.
func sealForToken(token, context string, plaintext []byte) (string, error) {
	aead, err := tokenCipher(token, context)
	if err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	return base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, plaintext, nil)), nil
}

// openWithToken decrypts what sealForToken sealed.
func openWithToken(token, context, sealed string) ([]byte, error) {
	aead, err := tokenCipher(token, context)
	if err != nil {
		return nil, err
	}
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize() {
		return nil, errors.New("malformed sealed answer")
	}
	return aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
}
