using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Web;
using Booking.PortalAuth.Sms;

namespace Booking.PortalAuth.Tests;

/// <summary>A loopback server speaking Twilio's Messages API, its error answers included.</summary>
public sealed class FakeTwilio : IDisposable
{
    public const string Sid = "AC00000000000000000000000000000001";
    public const string Token = "test-auth-token";
    public const string InvalidNumber = "+61491570001";
    public const string Overloaded = "+61491570002";

    private readonly HttpListener listener = new();
    private readonly Task loop;
    private int overloadedCalls;

    public FakeTwilio()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(BaseUrl + "/");
        listener.Start();
        loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public List<(string Path, string? Auth, Dictionary<string, string> Form)> Received { get; } = [];

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var parsed = HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            var form = parsed.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => parsed[k]!);
            lock (Received)
            {
                Received.Add((context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], form));
            }

            var (status, body) = Answer(context.Request, form);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (status == 429)
            {
                context.Response.AddHeader("Retry-After", "0");
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int, string) Answer(HttpListenerRequest request, Dictionary<string, string> form)
    {
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sid}:{Token}"));
        if (request.Headers["Authorization"] != expectedAuth)
        {
            return (401, """{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}""");
        }

        if (request.HttpMethod != "POST" || request.Url!.AbsolutePath != $"/2010-04-01/Accounts/{Sid}/Messages.json")
        {
            return (404, """{"code":20404,"message":"The requested resource was not found","status":404}""");
        }

        if (!form.TryGetValue("To", out var to) || !form.ContainsKey("From") || !form.TryGetValue("Body", out var text))
        {
            return (400, """{"code":21604,"message":"A 'To' phone number is required.","status":400}""");
        }

        if (to == InvalidNumber)
        {
            return (400, $$"""{"code":21211,"message":"The 'To' number {{to}} is not a valid phone number.","status":400}""");
        }

        if (to == Overloaded && Interlocked.Increment(ref overloadedCalls) == 1)
        {
            return (429, """{"code":20429,"message":"Too Many Requests","status":429}""");
        }

        return (201, $$"""{"sid":"SM{{Guid.NewGuid():N}}","status":"queued","to":"{{to}}","body":"{{text}}"}""");
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        _ = loop;
    }
}

public sealed class TwilioAdapterTests : IDisposable
{
    private readonly FakeTwilio twilio = new();
    private readonly HttpClient http = new();

    private TwilioSmsSender Sender(string token = FakeTwilio.Token) =>
        new(http, new TwilioOptions { BaseUrl = twilio.BaseUrl, AccountSid = FakeTwilio.Sid, AuthToken = token, From = "+61491570100" });

    [Fact]
    public async Task Sends_form_encoded_message_with_basic_auth_and_returns_the_sid()
    {
        var sid = await Sender().SendAsync("+61491570156", "123456 is your code", CancellationToken.None);
        Assert.StartsWith("SM", sid, StringComparison.Ordinal);
        var request = Assert.Single(twilio.Received);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.Sid}/Messages.json", request.Path);
        Assert.Equal("+61491570156", request.Form["To"]);
        Assert.Equal("+61491570100", request.Form["From"]);
        Assert.Equal("123456 is your code", request.Form["Body"]);
    }

    [Fact]
    public async Task A_refused_number_is_a_permanent_error_with_the_carrier_code()
    {
        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(FakeTwilio.InvalidNumber, "x", CancellationToken.None));
        Assert.Equal(400, ex.Status);
        Assert.Equal(21211, ex.CarrierCode);
        Assert.False(ex.Transient);
        Assert.True(ex.Permanent); // the number's: a text to it fails the same way (decision 348)
    }

    [Fact]
    public async Task Wrong_credentials_are_not_tried_again_but_are_no_refusal_of_the_number()
    {
        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender("wrong").SendAsync("+61491570156", "x", CancellationToken.None));
        Assert.Equal(401, ex.Status);
        Assert.Equal(20003, ex.CarrierCode);
        Assert.False(ex.Transient);
        Assert.False(ex.Permanent); // our account's: the number is fine once the credentials are (decision 348)
    }

    [Fact]
    public async Task Too_many_requests_is_transient_and_the_next_try_succeeds()
    {
        var ex = await Assert.ThrowsAsync<SmsSendException>(() => Sender().SendAsync(FakeTwilio.Overloaded, "x", CancellationToken.None));
        Assert.Equal(429, ex.Status);
        Assert.True(ex.Transient);
        Assert.False(ex.Permanent);
        Assert.StartsWith("SM", await Sender().SendAsync(FakeTwilio.Overloaded, "x", CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_carrier_that_does_not_answer_is_transient()
    {
        var dead = new TwilioSmsSender(http, new TwilioOptions { BaseUrl = "http://127.0.0.1:1", AccountSid = FakeTwilio.Sid, AuthToken = FakeTwilio.Token, From = "+61491570100" });
        var ex = await Assert.ThrowsAsync<SmsSendException>(() => dead.SendAsync("+61491570156", "x", CancellationToken.None));
        Assert.True(ex.Transient);
    }

    public void Dispose()
    {
        twilio.Dispose();
        http.Dispose();
    }
}
