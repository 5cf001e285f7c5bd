using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.PortalAuth.Domain;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// An email already on file is reported with every other bad field at once (not only once the rest pass), and only
/// where the business takes registrations: where it does not, its refusal answers and nothing tells whether the
/// address is on file. A mobile on file is never reported (<see cref="RegisterMobileOnFileTests"/>).
/// </summary>
public sealed class RegisterAtOnceTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task An_email_on_file_is_reported_with_the_other_bad_fields_and_a_mobile_on_file_is_not()
    {
        var biz = await App.SignUpBusinessAsync();
        var (email, mobile) = (PortalAuthHelpers.NewEmail(), PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email, mobile: mobile)).StatusCode);

        var again = await fixture.NewClient().RegisterAsync(biz.Slug, email.ToUpperInvariant(), password: "short", mobile: mobile, first: "");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var errors = (await again.JsonAsync()).GetProperty("errors");
        Assert.Equal(["email", "firstName", "password"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("already registered", errors.GetProperty("email")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_the_business_takes_no_new_clients_its_refusal_answers_not_the_address_on_file()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { AcceptingNewClients = false };

        var again = await fixture.NewClient().RegisterAsync(biz.Slug, email);
        Assert.Equal("not-accepting-new-clients", await again.KindAsync());
    }
}
