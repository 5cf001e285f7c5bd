using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Web;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Outbox;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Notifications;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Every text the app sends is recorded (PortalAuth's <c>texts</c>, decision 252) and listed with the emails in
/// <c>GET /api/v1/admin/messages</c> and Tools → Sent messages, newest first, with its channel; a one-time code is listed
/// without the code.
/// </summary>
public sealed class TextLogTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static async Task<List<JsonElement>> MessagesAsync(HttpClient owner, string query = "") =>
        (await (await owner.GetAsync(new Uri("/api/v1/admin/messages?limit=500" + query, UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
        .GetProperty("items").EnumerateArray().ToList();

    private static async Task<List<JsonElement>> TextsToAsync(HttpClient owner, string mobile, int atLeast) =>
        (await Eventually.ReturnsAsync(
            async () => (await MessagesAsync(owner)).Where(m => m.GetProperty("channel").GetString() == "text" && m.GetProperty("to").GetString() == mobile).ToList(),
            rows => rows.Count >= atLeast, TimeSpan.FromSeconds(60), $"{atLeast} text(s) to {mobile} in the log")).ToList();

    [Fact]
    public async Task Texts_are_listed_with_the_emails_newest_first_with_their_channel_and_body_and_a_code_text_never_shows_its_code()
    {
        var b = await App.BookableAsync();
        var owner = b.Biz.Owner;
        var added = await (await owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile = PortalAuthHelpers.NewMobile() })).JsonAsync(HttpStatusCode.Created);
        var clientId = added.GetProperty("id").GetGuid();
        var mobile = added.GetProperty("mobile").GetString()!;
        var id = (await (await owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(4), 10) })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var sent = await fixture.NewClient().TextsToAsync(mobile, 1);

        var booked = Assert.Single(await TextsToAsync(owner, mobile, 1));
        Assert.Equal("text-booking-confirmation", booked.GetProperty("kind").GetString());
        Assert.Equal("Booking confirmation text to client", booked.GetProperty("kindLabel").GetString());
        Assert.Equal("sent", booked.GetProperty("status").GetString());
        Assert.Equal(1, booked.GetProperty("attempts").GetInt32());
        Assert.Equal(sent[0], booked.GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, booked.GetProperty("subject").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, booked.GetProperty("sentAt").ValueKind);
        Assert.Equal(id, booked.GetProperty("appointment").GetProperty("id").GetGuid());
        Assert.Equal("Pia Phone", booked.GetProperty("appointment").GetProperty("clientName").GetString());

        // A sign-in code: listed as sent, its body never kept, the code nowhere in the answer or on the page.
        var phone = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Accepted, (await phone.StartAsync(b.Biz.Slug, mobile)).StatusCode);
        var code = await phone.CodeSentToAsync(mobile, 2);
        var texts = await TextsToAsync(owner, mobile, 2);
        var codeText = Assert.Single(texts, t => t.GetProperty("kind").GetString() == "text-sign-in-code");
        Assert.Equal("sent", codeText.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, codeText.GetProperty("body").ValueKind);
        Assert.Equal("Sign-in code text (code not shown)", codeText.GetProperty("kindLabel").GetString());
        var all = await MessagesAsync(owner);
        Assert.DoesNotContain(code, JsonSerializer.Serialize(all), StringComparison.Ordinal);

        // The emails keep their shape, with their channel; everything is newest first, texts and emails mixed.
        var email = Assert.Single(all, m => m.GetProperty("kind").GetString() == "staff-email-verification");
        Assert.Equal("email", email.GetProperty("channel").GetString());
        Assert.Equal(JsonValueKind.Null, email.GetProperty("body").ValueKind);
        var keys = all.Select(m => (At: m.GetProperty("createdAt").GetDateTimeOffset(), Id: m.GetProperty("id").GetGuid())).ToList();
        Assert.Equal(keys.OrderByDescending(k => k.At).ThenByDescending(k => k.Id), keys);
        Assert.Equal(all.Count, all.Select(m => m.GetProperty("id").GetGuid()).Distinct().Count());

        // One at a time through the cursor: the same messages in the same order, none twice, none skipped.
        var walked = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await owner.GetAsync(new Uri("/api/v1/admin/messages?limit=1" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && walked.Count <= all.Count);
        Assert.Equal(all.Select(m => m.GetProperty("id").GetGuid()), walked);

        // Filtered: only sent texts are "sent"; nothing is refused here; a text is never queued or withheld.
        Assert.Contains(await MessagesAsync(owner, "&status=sent"), m => m.GetProperty("id").GetGuid() == booked.GetProperty("id").GetGuid());
        Assert.Empty(await MessagesAsync(owner, "&status=refused"));
        Assert.DoesNotContain(await MessagesAsync(owner, "&status=queued"), m => m.GetProperty("channel").GetString() == "text");

        // A text is not sent again from the log.
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PostAsJsonAsync($"/api/v1/admin/messages/{booked.GetProperty("id").GetGuid()}/resend", new { })).StatusCode);

        // The page: a Channel column, the text as sent, no Resend on a text's row, and never the code.
        var html = await owner.PageAsync("/staff/tools/messages");
        Assert.Equal("Channel", html.All("thead th")[1].TextContent.Trim());
        var row = html.All("tbody tr").Single(r => r.QuerySelector(".message-body")?.TextContent == sent[0]);
        Assert.Equal("Text", row.QuerySelector(".message-channel")!.TextContent.Trim());
        // Its number as the other pages write it (AU: "0412 345 678"), not "+61412345678" (decision 310).
        var shown = row.QuerySelector(".message-to")!.TextContent.Trim();
        Assert.Equal(Booking.BuildingBlocks.Phones.PhoneDisplay.Format(mobile, "AU"), shown);
        Assert.StartsWith("04", shown, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector("form"));
        Assert.Contains(html.All(".message-channel"), c => c.TextContent.Trim() == "Email");
        Assert.DoesNotContain(code, html.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(html.All("#status option"), o => o.GetAttribute("value") == "refused" && o.TextContent.Trim() == "Refused");
    }

    [Fact]
    public async Task A_status_the_log_does_not_know_is_refused_naming_it_and_refused_is_one_it_knows()
    {
        var biz = await App.SignUpBusinessAsync("textlog");
        var answer = await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?status=bounced", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("Use queued, retrying, sent, failed, withheld or refused.", (await answer.JsonAsync()).GetProperty("errors").GetProperty("status")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await biz.Owner.GetAsync(new Uri("/api/v1/admin/messages?status=refused", UriKind.Relative))).StatusCode);
    }
}

/// <summary>A loopback server speaking Twilio's Messages API, answering each number as the test says (201 by default).</summary>
public sealed class FakeCarrier : IDisposable
{
    public const string Sid = "AC00000000000000000000000000000002";
    public const string Token = "carrier-test-token";

    private readonly HttpListener listener = new();

    public FakeCarrier()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(BaseUrl + "/");
        listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    /// <summary>How a number is answered: a status and an error body (absent: 201).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (int Status, string Body)> Answers { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<(string To, string Body, int Status)> Received { get; } = new();

    public int CountTo(string to) => Received.Count(r => r.To == to);

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
            var form = HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            var to = form["To"] ?? "";
            var (status, body) = Answers.TryGetValue(to, out var answer) ? answer : (201, $$"""{"sid":"SM{{Guid.NewGuid():N}}","status":"queued"}""");
            Received.Enqueue((to, form["Body"] ?? "", status));
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
    }
}

/// <summary>An app of its own whose texts go through the Twilio adapter to <see cref="FakeCarrier"/>.</summary>
public sealed class CarrierApp() : PortalAuthApp(
    ("Sms:Adapter", "twilio"), ("Sms:Twilio:BaseUrl", Carrier.BaseUrl), ("Sms:Twilio:AccountSid", FakeCarrier.Sid),
    ("Sms:Twilio:AuthToken", FakeCarrier.Token), ("Sms:Twilio:From", "+61491570100"))
{
    public static FakeCarrier Carrier { get; } = new();
}

/// <summary>
/// A text the carrier does not take is recorded with its error: retrying while the event's retries send it again (and
/// sent once one goes), failed when the carrier refuses for good, after which a later delivery sends nothing more.
/// </summary>
public sealed class TextFailureTests(CarrierApp fixture) : IClassFixture<CarrierApp>
{
    private BookingApp App => fixture.App;

    private static FakeCarrier Carrier => CarrierApp.Carrier;

    /// <summary>A business with a phone-only client (no email) whose mobile the carrier answers with <paramref name="answer"/>, booked by staff.</summary>
    private async Task<(Bookable B, string Mobile)> BookPhoneOnlyClientAsync(int day, Func<string, (int Status, string Body)> answer)
    {
        var b = await App.BookableAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        Carrier.Answers[mobile] = answer(mobile);
        var added = await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile })).JsonAsync(HttpStatusCode.Created);
        await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = added.GetProperty("id").GetGuid(), serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(day), 10) })).JsonAsync(HttpStatusCode.Created);
        return (b, mobile);
    }

    private static async Task<JsonElement> TextAsync(HttpClient owner, string mobile, Func<JsonElement, bool> done, string what) =>
        await Eventually.ReturnsAsync(
            async () => (await (await owner.GetAsync(new Uri("/api/v1/admin/messages", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray().FirstOrDefault(m => m.GetProperty("to").GetString() == mobile),
            m => m.ValueKind == JsonValueKind.Object && done(m), TimeSpan.FromSeconds(60), what);

    [Fact]
    public async Task A_text_the_carrier_cannot_take_now_is_retrying_with_its_error_and_sent_once_the_event_s_retry_gets_through()
    {
        var (b, mobile) = await BookPhoneOnlyClientAsync(3, _ => (503, """{"code":20503,"message":"Service Unavailable","status":503}"""));

        var retrying = await TextAsync(b.Biz.Owner, mobile, m => m.GetProperty("attempts").GetInt32() >= 1, "the failed text in the log");
        Assert.Equal("retrying", retrying.GetProperty("status").GetString());
        Assert.Equal("text", retrying.GetProperty("channel").GetString());
        Assert.Contains("503", retrying.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains("the app tries again later", retrying.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.False(retrying.GetProperty("refusedForGood").GetBoolean());
        Assert.Equal(JsonValueKind.Null, retrying.GetProperty("sentAt").ValueKind);
        Assert.StartsWith($"Business {b.Biz.Slug} confirmed your appointment", retrying.GetProperty("body").GetString(), StringComparison.Ordinal);

        // The carrier is back: the event's next delivery sends it, and the same row says so.
        Carrier.Answers.TryRemove(mobile, out _);
        var booked = JsonSerializer.Deserialize<AppointmentBooked>(Assert.Single(await App.OutboxAsync(b.Biz.Id, nameof(AppointmentBooked))), OutboxMessage.Json)!;
        NotificationsTestApp.Deliver(App, booked);
        var sent = await TextAsync(b.Biz.Owner, mobile, m => m.GetProperty("status").GetString() == "sent", "the text sent on the retry");
        Assert.Equal(retrying.GetProperty("id").GetGuid(), sent.GetProperty("id").GetGuid());
        Assert.True(sent.GetProperty("attempts").GetInt32() > retrying.GetProperty("attempts").GetInt32());
        Assert.Equal(1, Carrier.Received.Count(r => r.To == mobile && r.Status == 201));
    }

    [Fact]
    public async Task A_text_the_carrier_refuses_for_good_is_failed_and_a_later_delivery_sends_nothing_more()
    {
        var (b, mobile) = await BookPhoneOnlyClientAsync(4, m => (400, $$"""{"code":21211,"message":"The 'To' number {{m}} is not a valid phone number.","status":400}"""));

        var failed = await TextAsync(b.Biz.Owner, mobile, m => m.GetProperty("status").GetString() == "failed", "the failed text in the log");
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Contains("code 21211", failed.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, Carrier.CountTo(mobile));
        // Stored (texts.permanent, decision 348) and answered as such; the note does not promise another try.
        Assert.True(failed.GetProperty("refusedForGood").GetBoolean());
        Assert.Equal("Not sent: the carrier refused this number. Sending it again would fail the same way; check the number with the client.",
            failed.GetProperty("note").GetString());
        Assert.True(await Sql.AdminScalarAsync<bool>(App.Database.Database,
            "select permanent from portalauth.texts where tenant_id = @t and \"to\" = @m", ("t", b.Biz.Id), ("m", mobile)));

        var booked = JsonSerializer.Deserialize<AppointmentBooked>(Assert.Single(await App.OutboxAsync(b.Biz.Id, nameof(AppointmentBooked))), OutboxMessage.Json)!;
        NotificationsTestApp.Deliver(App, booked);
        await EventJobs.ConsumedAsync(App, booked.EventId, "the booking delivered again");
        await Task.Delay(2000);
        Assert.Equal(1, Carrier.CountTo(mobile));
        var after = await TextAsync(b.Biz.Owner, mobile, _ => true, "the text");
        Assert.Equal("failed", after.GetProperty("status").GetString());
        Assert.Equal(1, after.GetProperty("attempts").GetInt32());
    }

    /// <summary>
    /// Decision 348: a refusal about our own account (Twilio's 401, bad credentials) is not tried again, but it is no
    /// refusal of the number: not <c>refusedForGood</c>, and the note does not send staff to check the number.
    /// </summary>
    [Fact]
    public async Task A_text_refused_for_our_account_s_credentials_is_failed_but_not_refused_for_good()
    {
        var (b, mobile) = await BookPhoneOnlyClientAsync(5, _ => (401, """{"code":20003,"message":"Authenticate","status":401}"""));

        var failed = await TextAsync(b.Biz.Owner, mobile, m => m.GetProperty("status").GetString() == "failed", "the failed text in the log");
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.False(failed.GetProperty("refusedForGood").GetBoolean());
        Assert.Equal("Not sent: given up.", failed.GetProperty("note").GetString());
        Assert.False(await Sql.AdminScalarAsync<bool>(App.Database.Database,
            "select permanent from portalauth.texts where tenant_id = @t and \"to\" = @m", ("t", b.Biz.Id), ("m", mobile)));
    }
}
