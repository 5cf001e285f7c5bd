using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A client who replaces their own verified mobile (<c>POST /api/v1/portal/me/mobile/verify</c>) ends their other
/// sessions, the one opened by phone with the old number among them, and keeps the one the change is made from, as a
/// change of password does (decision 320). A first mobile replaces nothing and ends nothing.
/// </summary>
public sealed class MobileChangeSessionsTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static async Task<string> AttemptOf(HttpResponseMessage answer) =>
        (await answer.JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;

    private async Task<HttpClient> PhoneSessionAsync(TestBusiness biz, string mobile, int textsSoFar)
    {
        var http = fixture.NewClient();
        var attempt = await AttemptOf(await http.StartAsync(biz.Slug, mobile));
        Assert.Equal("signed-in", (await (await http.VerifyAsync(biz.Slug, attempt, await http.CodeSentToAsync(mobile, textsSoFar + 1))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("outcome").GetString());
        return http;
    }

    [Fact]
    public async Task Replacing_a_verified_mobile_ends_the_clients_other_sessions_and_keeps_this_one()
    {
        var biz = await App.SignUpBusinessAsync();
        var (old, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var email = PortalAuthHelpers.NewEmail();
        var here = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Created, (await here.RegisterAsync(biz.Slug, email)).StatusCode);
        var laptop = fixture.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await laptop.SignInAsync(biz.Slug, email)).StatusCode);

        // A first mobile: nothing replaced, every session stays.
        var first = await AttemptOf(await here.StartProofAsync(biz.Slug, old));
        Assert.Equal(HttpStatusCode.OK, (await here.VerifyProofAsync(biz.Slug, first, await here.CodeSentToAsync(old))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.MeAsync(biz.Slug)).StatusCode);

        // The old phone signs in with its number.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var oldPhone = await PhoneSessionAsync(biz, old, textsSoFar: 1);
        Assert.Equal(HttpStatusCode.OK, (await oldPhone.MeAsync(biz.Slug)).StatusCode);

        // Replaced from this session (with the password): the old phone's session and the laptop's end; this one stays.
        var change = await AttemptOf(await here.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={biz.Slug}",
            new { mobile = fresh, currentPassword = PortalAuthHelpers.Password }));
        Assert.Equal(HttpStatusCode.OK, (await here.VerifyProofAsync(biz.Slug, change, await here.CodeSentToAsync(fresh))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldPhone.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await laptop.MeAsync(biz.Slug)).StatusCode);
        var me = await (await here.MeAsync(biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(fresh, me.GetProperty("mobile").GetString());
    }

    [Fact]
    public async Task A_phone_client_replacing_their_mobile_keeps_only_the_session_the_change_is_made_from()
    {
        var biz = await App.SignUpBusinessAsync();
        var (old, fresh) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients",
            new { firstName = "Pia", lastName = "Phone", email = (string?)null, mobile = old })).StatusCode);
        var here = await PhoneSessionAsync(biz, old, textsSoFar: 0);
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var lost = await PhoneSessionAsync(biz, old, textsSoFar: 1);

        // Proved with a code to the current mobile (no password), as decision 237 asks.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var current = await AttemptOf(await here.PostAsync($"/api/v1/portal/me/mobile/current-code?name={biz.Slug}", null));
        var proof = await AttemptOf(await here.PostAsJsonAsync($"/api/v1/portal/me/mobile/start?name={biz.Slug}",
            new { mobile = fresh, currentMobileAttemptId = current, currentMobileCode = await here.CodeSentToAsync(old, 3) }));
        Assert.Equal(HttpStatusCode.OK, (await here.VerifyProofAsync(biz.Slug, proof, await here.CodeSentToAsync(fresh))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await lost.MeAsync(biz.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.MeAsync(biz.Slug)).StatusCode);
    }
}
