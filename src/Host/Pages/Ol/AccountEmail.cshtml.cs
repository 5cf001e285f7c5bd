using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/email: the signed-in client asks to change their email, or to add one (StartMyEmailChange, as POST
/// /api/v1/portal/me/email/start): the new address, and the current password when they have one; a client without one
/// (a phone client) first asks for a code to their verified mobile ("Text me a code", SendMyEmailCode as POST
/// /api/v1/portal/me/email/code) and types it with the address, so a phone left signed in cannot be given someone
/// else's email. The page then says where the link went; nothing changes until it is opened (/ol/account/email/confirm).
/// </summary>
public sealed class AccountEmailModel(TimeProvider clock, Booking.PortalAuth.Domain.PortalAuthOptions options) : PortalPageModel, IOwnMobileCodeForm
{
    protected override bool RequiresClient => true;

    [BindProperty]
    public EmailInput Input { get; set; } = new();

    /// <summary>The attempt of the code texted for this step (a hidden field once a code was sent).</summary>
    [BindProperty]
    public string? Attempt { get; set; }

    /// <summary>Unix seconds from which a new code may be asked for.</summary>
    [BindProperty]
    public long? ResendAt { get; set; }

    public string? CurrentEmail { get; private set; }

    /// <summary>Whether the form asks for the current password (the client has one); else it asks for a texted code.</summary>
    public bool HasPassword { get; private set; }

    /// <summary>The client's verified mobile, masked as the code pages write it; null when they have none.</summary>
    public string? MobileMasked { get; private set; }

    /// <summary>Set once the link is on its way.</summary>
    public EmailChangeSent? Sent { get; private set; }

    public int SecondsToResend => ResendClock.SecondsUntil(ResendAt, clock);

    /// <summary>How long a texted code works.</summary>
    /// <summary>How long the code works, as its text says it (<see cref="Booking.PortalAuth.Domain.PortalAuthOptions.CodeLifetimeWords"/>).</summary>
    public string CodeLifetime => options.CodeLifetimeWords;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(cancellationToken);
        try
        {
            Sent = await Sender.Send(new StartMyEmailChange(Input.Email, Input.CurrentPassword, HasPassword ? null : Attempt, HasPassword ? null : Input.Code)
            {
                ClientId = ClientId!.Value,
                CurrentSession = PortalSessions.CurrentKey(HttpContext),
                Ip = HttpContext.ClientIp(),
            }, cancellationToken);
        }
        catch (Exception ex) when (CodeProblems.TryAdd(ModelState, ex, out var dead))
        {
            if (dead)
            {
                Attempt = null; // the page offers a new code
            }
        }

        ForgetSecrets(); // never echo a password back into the page
        return Page();
    }

    /// <summary>"Text me a code" (and "Send a new code"): the address typed stays in the box.</summary>
    public Task<IActionResult> OnPostCodeAsync(CancellationToken cancellationToken) =>
        OwnMobileCodeForm.SendAsync(this, Sender, new SendMyEmailCode { ClientId = ClientId!.Value, Ip = HttpContext.ClientIp() }, ReadAsync, clock, cancellationToken);

    public void ForgetSecrets()
    {
        Input.CurrentPassword = null;
        Input.Code = null;
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var me = await Sender.Send(new GetPortalMe(ClientId!.Value), cancellationToken);
        CurrentEmail = me.Email;
        MobileMasked = me.Mobile is null ? null : Booking.BuildingBlocks.Phones.PhoneDisplay.Mask(me.Mobile, Business.CountryCode); // GetPortalMe shows a verified mobile only
        HasPassword = await Sender.Send(new ClientHasPassword(ClientId!.Value), cancellationToken); // even where email sign-in is off: the API asks for it then too
    }

    /// <summary>
    /// When the link stops working, with the business's zone abbreviation ("Saturday 5 December 2026 at 10:42 PM AEDT"),
    /// as the email carrying the link writes it (<c>TimeFormat.LongDateTimeWithZone</c>): the client may read it far
    /// from the business.
    /// </summary>
    public string Until(DateTimeOffset expiresAt) =>
        Times.Format.LongDateTimeWithZone(NodaTime.Instant.FromDateTimeOffset(expiresAt).InZone(Times.Zone), Times.Dates);

    public sealed class EmailInput
    {
        public string? Email { get; set; }

        public string? CurrentPassword { get; set; }

        public string? Code { get; set; }
    }
}
