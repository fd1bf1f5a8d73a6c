using System.Text;
using WecomBridge.Callbacks.Crypto;

namespace WecomBridge.Tests.Callbacks;

// Official vectors from docs/wecom-protocol.md §1–2.
public class CallbackCryptoTests
{
    private static readonly CallbackCrypto VectorA = new("hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "ww1436e0e65a779aee");
    private static readonly CallbackCrypto VectorB = new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7");

    private const string PostEncryptA = "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";

    [Fact]
    public void Vector_A_get_verifies_and_decrypts_echostr()
    {
        const string echo = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
        Assert.True(VectorA.Verify("012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "1476416373", "47744683", echo));
        Assert.Equal("1288432023552776189", VectorA.Decrypt(echo));
    }

    [Fact]
    public void Vector_A_post_with_pad_22_verifies_and_decrypts()
    {
        Assert.True(VectorA.Verify("0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779", "1597212914", PostEncryptA));
        Assert.Equal(
            "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>",
            VectorA.Decrypt(PostEncryptA));
    }

    [Fact]
    public void Vector_B_get_verifies_and_decrypts_echostr()
    {
        const string echo = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
        Assert.True(VectorB.Verify("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", echo));
        Assert.Equal("1616140317555161061", VectorB.Decrypt(echo));
    }

    [Fact]
    public void Official_account_vector_encrypts_to_the_published_ciphertext_and_signature()
    {
        var oa = new CallbackCrypto("pamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
        var encrypt = oa.Encrypt("我是中文abcd123", Encoding.ASCII.GetBytes("aaaabbbbccccdddd"));
        Assert.Equal("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==", encrypt);
        Assert.Equal("82c962d39941aa48552f90ef55aa323dc620cc10", oa.Sign("1409304348", "xxxxxx", encrypt));
        Assert.Equal("我是中文abcd123", oa.Decrypt(encrypt));
    }

    [Fact]
    public void Official_account_plaintext_signature_matches_the_published_example()
    {
        Assert.Equal("899cf89e464efb63f54ddac96b0a0a235f53aa78", CallbackCrypto.SignParts("AAAAA", "1714037059", "486452656"));
        Assert.True(CallbackCrypto.VerifyParts("899CF89E464EFB63F54DDAC96B0A0A235F53AA78", "AAAAA", "1714037059", "486452656"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Round_trips_every_padding_length(int size)
    {
        var message = new string('x', size);
        Assert.Equal(message, VectorA.Decrypt(VectorA.Encrypt(message)));
    }

    [Fact]
    public void Rejects_wrong_receive_id()
    {
        var other = new CallbackCrypto(VectorA.Token, "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "ww-someone-else");
        Assert.Equal(CryptoError.ReceiveIdMismatch, other.TryDecrypt(PostEncryptA, out _));
    }

    [Theory]
    [InlineData("not base64 at all!!", (int)CryptoError.InvalidBase64)]
    [InlineData("", (int)CryptoError.InvalidBase64)]
    [InlineData("AAAA", (int)CryptoError.InvalidBase64)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", (int)CryptoError.InvalidLength)] // 36 bytes
    public void Rejects_malformed_ciphertext(string encrypt, int expected)
    {
        Assert.Equal((CryptoError)expected, VectorA.TryDecrypt(encrypt, out _));
    }

    [Fact]
    public void Rejects_tampered_ciphertext()
    {
        var bytes = Convert.FromBase64String(PostEncryptA);
        bytes[^1] ^= 0x5a; // the last block decrypts to garbage: padding or length breaks
        Assert.NotEqual(CryptoError.None, VectorA.TryDecrypt(Convert.ToBase64String(bytes), out _));
        Assert.False(VectorA.Verify("0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779", "1597212914", Convert.ToBase64String(bytes)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("zz3914025cb4b4d68103f6bfc8db550f79dcf48e")]
    [InlineData("0c3914025cb4b4d68103f6bfc8db550f79dcf48")]
    [InlineData("1c3914025cb4b4d68103f6bfc8db550f79dcf48e")]
    public void Rejects_bad_signatures(string? signature)
    {
        Assert.False(VectorA.Verify(signature, "1476422779", "1597212914", PostEncryptA));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU!")]
    [InlineData("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUtX")]
    public void Rejects_bad_encoding_aes_keys(string key)
    {
        Assert.Null(CallbackCrypto.DecodeAesKey(key));
    }
}
