using Mediator;

namespace Booking.Appointments.Contracts;

/// <summary>
/// Staff merge two records of one client (PortalAuth's <c>MergeClients</c>): every appointment of
/// <paramref name="FromClientId"/> at the current business, in any status, becomes <paramref name="ToClientId"/>'s, in one
/// transaction. Nothing else of an appointment changes (times, pet, notes, who booked and decided), no event is written
/// (nobody is told again) and no rule is checked: the appointments were made already. Repeat-safe: a second run finds
/// nothing left to move. Answers how many moved.
/// <para>
/// <paramref name="CombinedPets"/> (decision 306): merged-away pets staff combined into the kept client's pet of the same
/// name. In the same transaction, before the client moves, each of <paramref name="FromClientId"/>'s appointments naming a
/// <see cref="CombinedPet.FromPetId"/> names its <see cref="CombinedPet.IntoPetId"/> instead. Null or empty: the pets stay
/// as they are (what a merge did before).
/// </para>
/// </summary>
public sealed record MoveClientAppointments(Guid FromClientId, Guid ToClientId, IReadOnlyList<CombinedPet>? CombinedPets = null) : ICommand<int>;

/// <summary>A merged-away pet (<paramref name="FromPetId"/>) that is one animal with the kept client's <paramref name="IntoPetId"/> (decision 306).</summary>
public sealed record CombinedPet(Guid FromPetId, Guid IntoPetId);

/// <summary>
/// The merge that recorded <paramref name="FromClientId"/> as merged into <paramref name="ToClientId"/> (in
/// <see cref="MoveClientAppointments"/>) did not commit its own records: the record goes, so the client who still exists
/// can be booked again (the appointments moved stay moved; a second merge finishes the job). Answers how many records went.
/// </summary>
public sealed record ForgetClientMerge(Guid FromClientId, Guid ToClientId) : ICommand<int>;

/// <summary>How many appointments (any status) each of these clients of the current business has; a client with none is left out.</summary>
public sealed record CountClientAppointments(IReadOnlyCollection<Guid> ClientIds) : IQuery<IReadOnlyDictionary<Guid, int>>;

/// <summary>
/// The record <paramref name="ClientId"/> was merged into at the current business (the one it is in now, after A→B then
/// B→C: C), or null when it was never merged away: Appointments' record of merges (decision 299). PortalAuth asks it
/// for a staff write naming a client that is gone (decision 307), to tell a merged-away record from a missing one.
/// </summary>
public sealed record FindKeptClient(Guid ClientId) : IQuery<Guid?>;

/// <summary>
/// Before a merge (decision 314): the upcoming appointments of <paramref name="ClientId"/> and of each of
/// <paramref name="OtherClientIds"/> at the current business that overlap in time, pair by pair: both still expected to
/// happen (requested, confirmed or cancellation asked), ending after now, in any diary. A merge would leave the kept
/// client booked twice at once (one visit booked once by phone and once online, typically). Staff answers only: it names
/// clients. Each pair once, by the first start. Two visits for different pets at once are a pet business's normal day,
/// not a double (decision 338): a pair is listed when either is for no pet, or both are for pets of the same name (one
/// animal on file twice, which the merge may combine); each side names its pet (<see cref="AppointmentClash.Pet"/>).
/// </summary>
public sealed record FindMergeOverlaps(Guid ClientId, IReadOnlyCollection<Guid> OtherClientIds) : IQuery<IReadOnlyList<MergeOverlap>>;

/// <summary>
/// Two upcoming appointments at overlapping times: <paramref name="Mine"/> the asked client's, <paramref name="Theirs"/>
/// one of <paramref name="OtherClientId"/>'s (times in the business's offset).
/// </summary>
public sealed record MergeOverlap(Guid OtherClientId, AppointmentClash Mine, AppointmentClash Theirs);
