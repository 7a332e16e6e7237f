// Public face of the one waiting-list engine (decision 014). A stream defines its kinds (./kinds) and calls these;
// it never writes the waiting-list tables itself.
export type { OfferKind, NoticeKind, OfferEnd, RefusalCode, Slot, WaitlistKindDef } from "./kinds";
export {
  joinWaitlist,
  queueOf,
  waitingCount,
  positionOf,
  moveEntry,
  noteEntry,
  noteEntryOnce,
  entryHistory,
  findEntries,
  offerHeldBy,
} from "./entries.server";
export {
  offerTo,
  offerNext,
  acceptOffered,
  declineOffered,
  lapseOffered,
  expireOffers,
  leaveWaitlist,
} from "./offers.server";
export { notifyFreed, fulfilSlot, lapseStarted, personSlotEntries } from "./notices.server";
export { askReconfirmations, reconfirm, lapseUnconfirmed } from "./reconfirm.server";
