using Booking.PortalAuth.Features.Me;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account ("Your details"): the signed-in client's name, email and verified mobile (proven by a code, or put on
/// file by the business: phone sign-in finds it). A mobile typed at registration is not shown until it is verified
/// (<c>PortalMe.Mobile</c>: it would tell whether another client had the number). Where the business offers phone
/// sign-in it links to /ol/account/mobile to verify (or change) the mobile; always to /ol/account/name and
/// /ol/account/email.
/// </summary>
public sealed class AccountModel : PortalPageModel
{
    public const string MobileVerified = "mobile-verified";

    public const string NameChanged = "name-changed";

    protected override bool RequiresClient => true;

    public PortalMe Me { get; private set; } = null!;

    /// <summary>What the mobile's code page came to, said once (<see cref="PortalNotice"/>).</summary>
    public string? Notice { get; private set; }

    /// <summary>Proving a mobile is for phone sign-in: offered only where the business offers it.</summary>
    public bool CanVerifyMobile => Settings.SignInMethods.Phone;

    /// <summary>
    /// The email on file was never proven and forgot-password sets no password by it while the mobile signs in
    /// (decision 301, <c>AccountClaim.Refused</c>): the page says so and how to confirm it.
    /// </summary>
    public bool EmailToConfirm { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = PortalNotice.Take(TempData, Business.Id, ClientId) switch
        {
            MobileVerified => "Your mobile is verified. You can now sign in with a code sent to it.",
            NameChanged => "Your name is changed.",
            _ => null,
        };
        Me = await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken);
        EmailToConfirm = Me is { Email: not null, EmailConfirmed: false, MobileVerified: true } && Settings.SignInMethods.Phone
            && !await Sender.Send(new ClientHasPassword(ClientId!.Value), cancellationToken);
    }
}
