// Public face of the one waiting-list engine: slots (desks, rooms) and queues with timed offers (plots).
export {
  joinSlotWaitlist,
  leaveWaitlist,
  entriesToNotify,
  fulfilSlotEntries,
  lapsePastEntries,
  listPersonSlotEntries,
} from "./slots.server";
export {
  recordEvent,
  joinQueue,
  queueOf,
  positionOf,
  moveEntry,
  askReconfirmations,
  reconfirm,
  lapseUnconfirmed,
  entryHistory,
} from "./queue.server";
