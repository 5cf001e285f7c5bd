using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Delivery;
using Booking.PortalAuth.Contracts;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Booking.Notifications.Rendering;

/// <summary>
/// Everything this module reads from other modules, in one small seam: the contract queries of PortalAuth,
/// Services, Roster and Tenancy, plus the tenant context. Tests may replace it; the app uses <see cref="ContractFacts"/>.
/// </summary>
public interface INotificationFacts
{
    Task<ClientView?> ClientAsync(Guid clientId, CancellationToken cancellationToken);

    Task<ServiceView?> ServiceAsync(Guid serviceId, CancellationToken cancellationToken);

    Task<DiaryView?> DiaryAsync(Guid diaryId, CancellationToken cancellationToken);

    /// <summary>
    /// The pet's name, a removed pet's included (the appointment still names it); null when unknown. Asked only for a pet
    /// the client's <see cref="ClientView.Pets"/> no longer lists; the default knows none (fakes without pets).
    /// </summary>
    Task<string?> PetNameAsync(Guid petId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>The current business's name, zone, clock, date order, colour, logo and portal address.</summary>
    Task<BusinessLook> LookAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The business's first active diary and first service not retired (each by name), for the template preview; null
    /// where it has none. The default answers none: fakes that set up no roster or services need not say so.
    /// </summary>
    Task<(DiaryView? Diary, ServiceView? Service)> PreviewSubjectsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(DiaryView?, ServiceView?)>((null, null));

    /// <summary>
    /// The sign-in emails of the staff who can act on a booking or cancellation request: those whose role opens the
    /// Requests page (owners and admins, <see cref="StaffRoles.Setup"/>), each with whether its person proved it (used a
    /// reset link sent there). The default knows none (fakes without staff).
    /// </summary>
    Task<IReadOnlyList<RequestDecider>> RequestDecidersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RequestDecider>>([]);

    /// <summary>
    /// The sign-in emails of the business's staff, any role, whose person proved them (Tenancy's staff email
    /// confirmation or a used reset link), trimmed and lower-cased. Such an address needs no second proof as a diary
    /// contact or an extra address (decision 251). The default knows none (fakes without staff).
    /// </summary>
    Task<IReadOnlySet<string>> ProvenStaffEmailsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());

    /// <summary>
    /// The signed-in staff member's own sign-in email (trimmed, lower-cased) while its person has not proven it yet: null
    /// when nobody is signed in (a job, a fake) or it is proven. Decision 350: that address made a diary's contact gets no
    /// diary-contact confirmation email beside the sign-up's "Confirm your email", and is confirmed once its proof comes.
    /// </summary>
    Task<string?> OwnUnprovenSignInEmailAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    /// <summary>
    /// Where the appointment stands now (Appointments' <c>GetAppointmentState</c>); null when not known. Asked before a
    /// message is sent again from the log. The default knows none (fakes without appointments), which refuses nothing.
    /// </summary>
    Task<AppointmentState?> AppointmentStateAsync(Guid appointmentId, CancellationToken cancellationToken) => Task.FromResult<AppointmentState?>(null);

    /// <summary>
    /// Where each of these appointments stands now, in one query (Appointments' <c>GetAppointmentStates</c>); an
    /// appointment not known is left out. The message log asks it once for its page. The default knows none.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, AppointmentState>> AppointmentStatesAsync(IReadOnlyCollection<Guid> appointmentIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<Guid, AppointmentState>>(new Dictionary<Guid, AppointmentState>());
}

/// <summary>An owner's or admin's sign-in email, and whether its person proved they read mail there (Tenancy's word).</summary>
public sealed record RequestDecider(string Email, bool Proven);

public sealed class ContractFacts(ISender sender, ITenantContext tenant, PublicOrigin origin, ILogger<ContractFacts> logger, IStaffContext staff) : INotificationFacts
{
    /// <summary>
    /// The client, or the one a merged-away client went into (decision 319): an event committed just before a merge and
    /// delivered after it names a record that is gone, and its email (and the staff emails' client lines) belong to the
    /// record that holds its appointments now, which Appointments' <see cref="FindKeptClient"/> names. One probe more, only
    /// when the client is not found.
    /// </summary>
    public async Task<ClientView?> ClientAsync(Guid clientId, CancellationToken cancellationToken)
    {
        if ((await sender.Send(new GetClients([clientId]), cancellationToken)).FirstOrDefault() is { } client)
        {
            return client;
        }

        return await sender.Send(new FindKeptClient(clientId), cancellationToken) is { } kept
            ? (await sender.Send(new GetClients([kept]), cancellationToken)).FirstOrDefault()
            : null;
    }

    public async Task<ServiceView?> ServiceAsync(Guid serviceId, CancellationToken cancellationToken) =>
        await sender.Send(new GetService(serviceId), cancellationToken);

    public async Task<DiaryView?> DiaryAsync(Guid diaryId, CancellationToken cancellationToken) =>
        (await sender.Send(new GetDiaries([diaryId]), cancellationToken)).FirstOrDefault();

    public async Task<string?> PetNameAsync(Guid petId, CancellationToken cancellationToken) =>
        (await sender.Send(new GetPetNames([petId]), cancellationToken)).GetValueOrDefault(petId);

    public async Task<AppointmentState?> AppointmentStateAsync(Guid appointmentId, CancellationToken cancellationToken) =>
        await sender.Send(new GetAppointmentState(appointmentId), cancellationToken);

    public async Task<IReadOnlyDictionary<Guid, AppointmentState>> AppointmentStatesAsync(IReadOnlyCollection<Guid> appointmentIds, CancellationToken cancellationToken) =>
        await sender.Send(new GetAppointmentStates(appointmentIds), cancellationToken);

    public async Task<IReadOnlyList<RequestDecider>> RequestDecidersAsync(CancellationToken cancellationToken) =>
        (await sender.Send(new GetStaffAddresses(StaffRoles.Setup), cancellationToken)).Select(s => new RequestDecider(s.Email, s.EmailProven)).ToList();

    public async Task<string?> OwnUnprovenSignInEmailAsync(CancellationToken cancellationToken) =>
        staff.Current is not { } me ? null
        : (await sender.Send(new GetStaffAddresses(StaffRoles.Everyone), cancellationToken)).FirstOrDefault(s => s.Id == me.Id) is { EmailProven: false } own
            ? own.Email.Trim().ToLowerInvariant()
            : null;

    public async Task<IReadOnlySet<string>> ProvenStaffEmailsAsync(CancellationToken cancellationToken) =>
        (await sender.Send(new GetStaffAddresses(StaffRoles.Everyone), cancellationToken))
            .Where(s => s.EmailProven).Select(s => s.Email.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public async Task<(DiaryView? Diary, ServiceView? Service)> PreviewSubjectsAsync(CancellationToken cancellationToken)
    {
        // Both lists come ordered by name, then id.
        var diary = (await sender.Send(new GetDiaries(null), cancellationToken)).FirstOrDefault(d => d.Active);
        var service = (await sender.Send(new GetServices(OnlineOnly: false), cancellationToken)).FirstOrDefault(s => !s.Retired);
        return (diary, service);
    }

    public async Task<BusinessLook> LookAsync(CancellationToken cancellationToken)
    {
        var business = tenant.Current ?? throw new InvalidOperationException("No tenant.");
        PortalSettingsView? settings = null;
        try
        {
            settings = await sender.Send(new GetPortalSettings(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Branding is cosmetic: an email in the default colour (and without the contact lines) beats no email.
            logger.LogWarning(ex, "Portal branding unavailable; using the default look");
        }

        return BusinessLooks.For(business, origin.Value, settings);
    }
}

public static class BusinessLooks
{
    /// <summary>
    /// The look of a business as its portal settings give it (branding, contact, policy text, access levels, clock, pets):
    /// the emails' and the portal's calendar download's one source. Null settings (unavailable): the default look.
    /// </summary>
    public static BusinessLook For(TenantInfo business, string publicBaseUrl, PortalSettingsView? settings) =>
        For(business, publicBaseUrl, settings?.Branding, settings?.Contact, settings?.CancellationPolicy.Text,
            settings is null ? null : ClientPortalAccess.Of(settings), settings?.TimeFormat, settings?.BooksForPets);

    /// <param name="timeFormat">The business's clock setting ("12h", "24h"); null (or settings unavailable): its country's usual clock.</param>
    public static BusinessLook For(TenantInfo business, string publicBaseUrl, BrandingView? branding, BusinessContactView? contact = null, string? cancellationPolicy = null,
        ClientPortalAccess? access = null, string? timeFormat = null, bool? booksForPets = null)
    {
        var origin = publicBaseUrl.TrimEnd('/');
        return new BusinessLook(
            business.Name,
            business.Slug,
            business.TimeZone,
            EmailRenderer.SafeColour(branding?.Colour),
            branding?.LogoUrl(origin, business.Slug),
            PortalAddresses.Book(origin, business.Slug),
            contact?.PhoneDisplay,
            contact?.Email,
            string.IsNullOrWhiteSpace(cancellationPolicy) ? null : cancellationPolicy,
            access,
            TimeFormat.For(business.CountryCode, timeFormat),
            DateStyle.ForCountry(business.CountryCode),
            booksForPets,
            business.CountryCode,
            business.Address);
    }
}
