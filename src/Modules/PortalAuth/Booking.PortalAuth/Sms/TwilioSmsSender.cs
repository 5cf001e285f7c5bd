using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Booking.PortalAuth.Sms;

public sealed class TwilioOptions
{
    public const string Section = "Sms:Twilio";

    public string BaseUrl { get; set; } = "https://api.twilio.com";

    public string AccountSid { get; set; } = "";

    public string AuthToken { get; set; } = "";

    public string From { get; set; } = "";
}

/// <summary>
/// Twilio's Messages API: POST {base}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded To/From/Body,
/// HTTP Basic with the account SID and auth token; 201 with the message's sid, else an error object
/// {code, message, status}.
/// </summary>
public sealed class TwilioSmsSender(HttpClient http, TwilioOptions options) : ISmsSender
{
    public async Task<string> SendAsync(string to, string body, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid)}/Messages.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent([new("To", to), new("From", options.From), new("Body", body)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}")));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SmsSendException($"The carrier did not answer: {ex.Message}", null, null, transient: true);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var json = TryParse(text);
            if (response.IsSuccessStatusCode)
            {
                return json is { } ok && ok.TryGetProperty("sid", out var sid) ? sid.GetString() ?? "" : "";
            }

            var status = (int)response.StatusCode;
            int? code = json is { } e && e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
            var message = json is { } m && m.TryGetProperty("message", out var msg) ? msg.GetString() : response.ReasonPhrase;
            var transient = response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500;
            // Any other 4xx is the message's (an invalid, landline or unreachable number: 400 with 21211, 21614, …), refused
            // for good, except those about our account: 401 (credentials), 403 (permissions) and 404 (no such account).
            var permanent = !transient && status is not (401 or 403 or 404);
            throw new SmsSendException($"The carrier refused the message ({status}{(code is null ? "" : $", code {code}")}): {message}",
                status, code, transient, response.Headers.RetryAfter?.Delta, permanent);
        }
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
