using System.Net;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// PRODUCT.md: the code is sent and checked before we reveal whether the phone is on file. Registration with a mobile
/// another client has (verified, or only claimed at their own registration) answers exactly as with a free one: the
/// same status, body and statements; the registrant's own view (<c>/me</c>) is the same; nothing is written to the
/// other client, and the number is not kept on the registrant. A free one is kept as an unproven claim.
/// </summary>
public sealed class RegisterMobileOnFileTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task A_mobile_on_file_and_a_free_one_get_the_same_answer_and_statements_and_nothing_is_written_to_its_holder()
    {
        var biz = await App.SignUpBusinessAsync();
        var (verifiedMobile, claimedMobile, freeMobile) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var verifiedHolder = await fixture.NewClient().JoinByPhoneAsync(biz.Slug, verifiedMobile);
        var claimant = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, claimant, mobile: claimedMobile)).StatusCode);
        using var recorder = new SqlRecorder(App.Services.GetRequiredService<IHttpContextAccessor>());

        // The first registration of a business may read what later ones find cached.
        await recorder.RecordAsync(fixture.NewClient(), "warm-up", c => c.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: PortalAuthHelpers.NewMobile()), HttpStatusCode.Created);
        var free = await RegisterRecordedAsync(recorder, biz.Slug, "free", freeMobile);
        var verified = await RegisterRecordedAsync(recorder, biz.Slug, "verified", verifiedMobile);
        var claimed = await RegisterRecordedAsync(recorder, biz.Slug, "claimed", "0" + claimedMobile[3..]); // typed nationally

        // The answers: the same status, the same body but for the new id, the same statements in the same order.
        Assert.Equal(free.Answer, verified.Answer);
        Assert.Equal(free.Answer, claimed.Answer);
        Assert.Contains("\"verifyMobile\":true", free.Answer, StringComparison.Ordinal);
        Assert.Contains(free.Sql, c => c.Contains("INSERT INTO portalauth.clients", StringComparison.Ordinal));
        Assert.Equal(free.Sql, verified.Sql);
        Assert.Equal(free.Sql, claimed.Sql);

        // What each registrant reads of themselves afterwards: the same (no mobile: none is verified).
        Assert.Equal(free.Me, verified.Me);
        Assert.Equal(free.Me, claimed.Me);
        Assert.Contains("\"mobile\":null,\"mobileVerified\":false", free.Me, StringComparison.Ordinal);

        // Nothing was written to the holders; the taken numbers are not on the registrants; the free one is, as a claim.
        Assert.Equal((verifiedMobile, true), await MobileOfAsync("id = @v::uuid", ("v", verifiedHolder)));
        Assert.Equal((claimedMobile, false), await MobileOfAsync("email = @v", ("v", claimant)));
        Assert.Equal(((string?)null, false), await MobileOfAsync("id = @v::uuid", ("v", verified.Id)));
        Assert.Equal(((string?)null, false), await MobileOfAsync("id = @v::uuid", ("v", claimed.Id)));
        Assert.Equal((freeMobile, false), await MobileOfAsync("id = @v::uuid", ("v", free.Id)));
        Assert.Equal(0L, await Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where tenant_id = @t and type like '%MobileClaimRemoved%'", ("t", biz.Id)));

        // The numbers' holders sign in with them as before: the verified one by phone, and the claim still points its
        // prover to the claimant's email account.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var phone = fixture.NewClient();
        var attempt = (await (await phone.StartAsync(biz.Slug, verifiedMobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        var signedIn = await (await phone.VerifyAsync(biz.Slug, attempt, await phone.CodeSentToAsync(verifiedMobile, 2))).JsonAsync();
        Assert.Equal("signed-in", signedIn.GetProperty("outcome").GetString());
        Assert.Equal(verifiedHolder, (await (await phone.MeAsync(biz.Slug)).JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Where_phone_sign_in_is_off_the_answer_says_nothing_to_verify_and_a_taken_mobile_is_still_not_told()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: mobile)).StatusCode);
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { PhoneSignIn = false };

        var taken = await fixture.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: mobile);
        var free = await fixture.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: PortalAuthHelpers.NewMobile());
        var none = await fixture.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail());
        foreach (var answer in new[] { taken, free, none })
        {
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
            Assert.False((await answer.JsonAsync()).GetProperty("verifyMobile").GetBoolean());
        }
    }

    private async Task<Registered> RegisterRecordedAsync(SqlRecorder recorder, string slug, string label, string mobile)
    {
        var http = fixture.NewClient();
        HttpResponseMessage? answer = null;
        var sql = await recorder.RecordAsync(http, label, async c => answer = await c.RegisterAsync(slug, PortalAuthHelpers.NewEmail(), mobile: mobile, first: "Rae"), HttpStatusCode.Created);
        var body = await answer!.JsonAsync();
        var id = body.GetProperty("id").GetString()!;
        var me = (await (await http.MeAsync(slug)).JsonAsync()).GetRawText();
        // PortalAuth's statements, where a mobile on file could show: the platform's address counters and session rows are
        // written alike for every registration, and whether the recorder sees those of another module's context during the
        // request varied from run to run (the full suite's load), which made the lists differ by them alone.
        IReadOnlyList<string> own = [.. sql.Where(s => s.Contains("portalauth.", StringComparison.Ordinal))];
        return new Registered(id, Without(body.GetRawText(), id), own, Without(me, id));
    }

    /// <summary>The answer with the client's own id and email (different for every registrant) taken out.</summary>
    private static string Without(string json, string id)
    {
        var email = JsonDocument.Parse(json).RootElement.TryGetProperty("email", out var e) ? e.GetString()! : "";
        return json.Replace(id, "ID", StringComparison.Ordinal).Replace(email.Length > 0 ? email : "\u0000", "EMAIL", StringComparison.Ordinal);
    }

    private async Task<(string? Mobile, bool Verified)> MobileOfAsync(string where, (string, object) value)
    {
        var mobile = await Sql.AdminScalarAsync<string?>(App.Database.Database, $"select mobile from portalauth.clients where {where}", value);
        var verified = await Sql.AdminScalarAsync<bool>(App.Database.Database, $"select mobile_verified from portalauth.clients where {where}", value);
        return (mobile, verified);
    }

    private sealed record Registered(string Id, string Answer, IReadOnlyList<string> Sql, string Me);
}
