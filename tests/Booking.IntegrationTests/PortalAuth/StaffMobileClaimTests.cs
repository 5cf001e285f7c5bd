using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Staff putting a mobile on file (add or change a client): only a verified mobile, the one phone sign-in finds a client
/// by, counts as taken. A number another client only typed at registration does not block the real client: it comes
/// off the typist's account without an email, and their later proof of it is refused in the usual words (decision 237).
/// </summary>
public sealed class StaffMobileClaimTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private Task<string> MobileOfAsync(string clientId) =>
        Sql.AdminScalarAsync<string>(App.Database.Database, "select coalesce(mobile, '(none)') from portalauth.clients where id = @id::uuid", ("id", clientId))!;

    private Task<long> ClaimEmailsAsync(string clientId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "select count(*) from portalauth.outbox_messages where type like '%MobileClaimRemoved%' and payload->>'clientId' = @c", ("c", clientId));

    [Fact]
    public async Task Staff_add_a_client_with_a_number_another_client_only_typed_and_the_typist_cannot_prove_it_later()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var typist = fixture.NewClient();
        var registered = await typist.RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: "0" + mobile[3..]);
        var typistId = (await registered.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        Assert.Equal(mobile, await MobileOfAsync(typistId)); // the unproven claim

        // Staff add the number's real owner: on file, verified.
        var added = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Rita", lastName = "Real", mobile }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal(mobile, added.GetProperty("mobile").GetString());
        Assert.True(added.GetProperty("mobileVerified").GetBoolean());
        var ritaId = added.GetProperty("id").GetString()!;
        Assert.Equal("(none)", await MobileOfAsync(typistId));
        Assert.Equal(0L, await ClaimEmailsAsync(typistId)); // quietly: nothing the typist could see or use changed

        // Phone sign-in finds Rita by it.
        var phone = fixture.NewClient();
        var started = await (await phone.StartAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted);
        var outcome = await (await phone.VerifyAsync(biz.Slug, started.GetProperty("attemptId").GetString()!, await phone.CodeSentToAsync(mobile))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("signed-in", outcome.GetProperty("outcome").GetString());
        Assert.Equal(ritaId, (await (await phone.MeAsync(biz.Slug)).JsonAsync()).GetProperty("id").GetString());

        // The typist proving the number later: the code goes out (nothing is told before it), then a clear refusal.
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var proof = (await (await typist.StartProofAsync(biz.Slug, mobile)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("attemptId").GetString()!;
        var refused = await typist.VerifyProofAsync(biz.Slug, proof, await typist.CodeSentToAsync(mobile, 2));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.StartsWith("This mobile number is on another client's account, which signs in with it.",
            (await refused.JsonAsync()).GetProperty("errors").GetProperty("mobile")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("(none)", await MobileOfAsync(typistId));
        Assert.Equal(mobile, await MobileOfAsync(ritaId));
    }

    [Fact]
    public async Task Staff_change_a_clients_mobile_to_a_number_another_client_only_typed_but_never_to_a_verified_one()
    {
        var biz = await App.SignUpBusinessAsync();
        var (typed, verified) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var typistId = (await (await fixture.NewClient().RegisterAsync(biz.Slug, PortalAuthHelpers.NewEmail(), mobile: typed)).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
        var holder = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Hal", lastName = "Holder", mobile = verified }))
            .JsonAsync(HttpStatusCode.Created);
        var client = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = "Cy", lastName = "Client", email = PortalAuthHelpers.NewEmail() }))
            .JsonAsync(HttpStatusCode.Created);
        var id = client.GetProperty("id").GetString()!;
        var email = client.GetProperty("email").GetString();

        // A verified number is another client's way in: refused, nothing written.
        var taken = await biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}", new { firstName = "Cy", lastName = "Client", email, mobile = verified });
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);
        Assert.Equal(["mobile"], (await taken.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal("(none)", await MobileOfAsync(id));
        Assert.Equal(verified, await MobileOfAsync(holder.GetProperty("id").GetString()!));

        // A typed one is not.
        var changed = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/clients/{id}", new { firstName = "Cy", lastName = "Client", email, mobile = typed }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(typed, changed.GetProperty("mobile").GetString());
        Assert.True(changed.GetProperty("mobileVerified").GetBoolean());
        Assert.Equal("(none)", await MobileOfAsync(typistId));
    }
}
