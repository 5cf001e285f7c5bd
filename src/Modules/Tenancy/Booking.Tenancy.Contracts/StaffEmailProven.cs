using Booking.BuildingBlocks.Contracts;

namespace Booking.Tenancy.Contracts;

/// <summary>
/// A staff member's sign-in email became proven: its person used a link emailed there (the email confirmation, a
/// password reset, an invitation) or confirmed a change to it. Published once per proof, with the save that sets
/// <c>email_proven_at</c> (<c>StaffMember.ProveEmail</c>). Notifications confirms the business's diary contacts and extra
/// addresses equal to <see cref="Email"/> that were still waiting for confirmation (decision 251 (1)), with no email.
/// </summary>
public sealed record StaffEmailProven(Guid EventId, Guid TenantId, Guid StaffId, string Email) : IIntegrationEvent;
