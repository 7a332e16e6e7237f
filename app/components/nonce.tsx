import { createContext, useContext } from "react";

// The CSP nonce of this response, so Remix's inline scripts are allowed and nothing else is.
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
